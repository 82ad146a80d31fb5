//! Every diagnostic code, declared once: one registration line per diagnostic, from its code to
//! the struct that declares it beside its rule (`check::values::WrongUnit`, …).
//!
//! This module sits above every rule and names them all; nothing below it names it. The
//! [`Code`] type is `diag`'s (a `&'static` descriptor: the code and its catalogue entry), and
//! `diagnostics!` makes of this list one `Code::PMG0603` constant per code (each built from its
//! struct's [`Violation`] constants), [`Code::ALL`], the catalogue in code order ([`ENTRIES`]:
//! `pmigc explain`, the language server's links and `docs/diagnostics.md`), and gives each
//! struct its code ([`Coded`]). A rule that needs its own code reads `Struct::CODE`, never a
//! constant of this list (`architecture::no_module_imports_a_layer_above_it`). A code
//! registered twice, or a struct that does not implement `Violation`, does not compile. Adding a
//! diagnostic: its struct and `Violation` impl in its rule's module, its golden case, and one
//! line here, in code order (CONTRIBUTING.md has the recipe).

use std::sync::LazyLock;

use crate::diag::catalogue::Entry;
use crate::diag::{Code, Coded, Violation};

macro_rules! diagnostics {
    ($($code:ident => $diagnostic:ty,)*) => {
        /// The registered codes. Families: 00xx internal, 01xx syntax, 02xx blocks and
        /// attributes, 03xx types and units, 04xx values and ranges, 05xx addresses, 06xx
        /// references, 07xx secrets, 08xx the migration, 09xx security, 10xx workspaces, 11xx
        /// names, 12xx AWS apply-time constraints and migration safety.
        #[allow(non_upper_case_globals)]
        impl Code {
            $(
                #[doc = concat!("`", stringify!($code), "`: the code of [`", stringify!($diagnostic), "`].")]
                pub const $code: Code = Code::registered(&Entry {
                    code: stringify!($code),
                    title: <$diagnostic as Violation>::TITLE,
                    explanation: <$diagnostic as Violation>::EXPLANATION,
                    wrong: <$diagnostic as Violation>::WRONG,
                    right: <$diagnostic as Violation>::RIGHT,
                });
            )*

            /// Every code, in code order.
            pub const ALL: &[Code] = &[$(Code::$code,)*];
        }

        $(impl Coded for $diagnostic {
            const CODE: Code = Code::$code;
        })*
    };
}

impl Code {
    /// The code `text` names (`"PMG0504"`), if it is registered.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

/// Every entry of the catalogue, in code order, assembled once from the diagnostics'
/// declarations.
pub static ENTRIES: LazyLock<Vec<Entry>> =
    LazyLock::new(|| Code::ALL.iter().map(|c| c.entry()).collect());

/// Every entry, in code order.
pub fn entries() -> Vec<Entry> {
    ENTRIES.clone()
}

/// The entry of the code `code` names (`"PMG0504"`), if it is registered.
pub fn find(code: &str) -> Option<Entry> {
    Code::parse(code).map(Code::entry)
}

diagnostics! {
    // 00xx internal: a bug in pmigc, never in the stack
    PMG0001 => crate::check::internal::Internal,
    PMG0002 => crate::check::internal::Unverified,
    PMG0003 => crate::check::internal::AddressClaimedTwice,

    // 01xx syntax
    PMG0101 => crate::syntax::error::Unexpected,
    PMG0102 => crate::syntax::error::UnclosedBlock,
    PMG0103 => crate::syntax::error::UnterminatedString,
    PMG0104 => crate::syntax::error::BadLiteral,
    PMG0105 => crate::syntax::error::TooDeep,
    PMG0106 => crate::syntax::error::TooMany,

    // 02xx blocks and attributes
    PMG0201 => crate::check::names::UnknownBlockKind,
    PMG0202 => crate::check::names::BadHeader,
    PMG0203 => crate::check::context::UnknownAttribute,
    PMG0204 => crate::check::context::MissingAttribute,
    PMG0205 => crate::check::context::DuplicateAttribute,
    PMG0206 => crate::check::stack::UnknownInputType,
    PMG0207 => crate::check::names::StackBlock,

    // 03xx types and units
    PMG0301 => crate::check::mismatch::TypeMismatch,
    PMG0302 => crate::check::values::MissingUnit,
    PMG0303 => crate::check::values::WrongUnit,
    PMG0304 => crate::check::mismatch::UnknownValue,
    PMG0305 => crate::check::infra::UnknownInstanceType,
    PMG0306 => crate::check::database::UnknownEngine,
    PMG0307 => crate::check::rules::CrossFamily,

    // 04xx values and ranges
    PMG0401 => crate::check::values::PercentOutOfRange,
    PMG0402 => crate::check::infra::BadCapacity,
    PMG0403 => crate::check::values::CountOutOfRange,
    PMG0404 => crate::check::values::PortOutOfRange,
    PMG0405 => crate::check::database::BackupRetention,
    PMG0406 => crate::check::network::TooManyZones,
    PMG0407 => crate::check::stack::UnknownRegion,
    PMG0408 => crate::check::serverless::ServerlessCapacity,
    PMG0409 => crate::check::infra::BadImage,
    PMG0410 => crate::check::serverless::ServerlessAboveVersion,
    PMG0411 => crate::check::infra::ClassNotOnAurora,
    PMG0412 => crate::check::database::BadDbname,
    PMG0413 => crate::check::database::DbnameOnMysql,

    // 05xx addresses
    PMG0501 => crate::check::values::InvalidCidr,
    PMG0502 => crate::check::values::HostBitsSet,
    PMG0503 => crate::check::network::SubnetsDoNotFit,
    PMG0504 => crate::check::rules::OverlapsOnPremises,
    PMG0505 => crate::check::rules::NetworksOverlap,
    PMG0506 => crate::check::network::BadSubnetSize,
    PMG0507 => crate::syntax::error::Ipv6,

    // 06xx references
    PMG0601 => crate::check::names::UndefinedName,
    PMG0602 => crate::check::names::WrongKind,
    PMG0603 => crate::check::names::Unused,
    PMG0604 => crate::check::names::DuplicateName,
    PMG0605 => crate::check::context::InputCycle,
    PMG0606 => crate::check::names::UnknownMember,
    PMG0607 => crate::check::rules::NotExposed,
    PMG0608 => crate::check::identifiers::NameClash,
    PMG0609 => crate::check::infra::UnusedServiceSetting,
    PMG0610 => crate::check::boot::BootFileUnreadable,
    PMG0611 => crate::check::boot::BootFileTooLarge,
    PMG0612 => crate::check::boot::BadBootFile,
    PMG0613 => crate::check::account::AccountNameTaken,
    PMG0614 => crate::check::account::SameNameInAccount,
    PMG0615 => crate::check::exposure::LoadBalancerTier,
    PMG0616 => crate::check::rules::CutoverToInternal,
    PMG0617 => crate::check::exposure::NoEffectOnInternal,

    // 07xx secrets
    PMG0701 => crate::check::stack::PlaintextSecret,
    PMG0702 => crate::check::stack::UnknownSecretKey,
    PMG0703 => crate::check::identifiers::SecretLookingName,

    // 08xx the migration
    PMG0801 => crate::check::migration::PhasesNotIncreasing,
    PMG0802 => crate::check::migration::PhasesEnds,
    PMG0803 => crate::check::rules::WeightNotAPhase,
    PMG0804 => crate::check::rules::RollbackAbovePhase,
    PMG0805 => crate::check::rules::CutoverWithoutReplication,
    PMG0806 => crate::check::rules::GateAboveBudget,
    PMG0807 => crate::check::migration::BadGate,
    PMG0808 => crate::check::migration::GateRepeatsReplication,
    PMG0809 => crate::check::rules::SharedWeight,
    PMG0810 => crate::check::rules::GateMissesReplication,
    PMG0811 => crate::check::rules::NoGate,
    PMG0812 => crate::plan::report::SplitWrites,
    PMG0813 => crate::plan::report::LostWrite,
    PMG0820 => crate::check::writes::DataCutoverWithoutReplication,
    PMG0821 => crate::check::writes::SeveralPrimaries,
    PMG0822 => crate::check::writes::NothingToDrain,
    PMG0823 => crate::check::writes::TwoPrimaries,
    PMG0824 => crate::check::writes::BothWithoutTwoWay,
    PMG0825 => crate::check::writes::KeysNotApart,
    PMG0826 => crate::check::writes::WriterUnreachable,
    PMG0827 => crate::check::writes::DuplicateDataCutover,
    PMG0828 => crate::check::writes::NoDataCutover,
    PMG0829 => crate::check::writes::NotTheOwner,
    PMG0830 => crate::check::writes::WriterNotOwned,
    PMG0831 => crate::check::writes::TwoOwners,
    PMG0832 => crate::check::migration::SourceVersion,
    PMG0833 => crate::check::migration::CutoverAtApex,
    PMG0834 => crate::check::dns::UnmanagedCutoverOverride,
    PMG0835 => crate::check::dns::UnmanagedCutoverInput,
    PMG0836 => crate::check::tables::BadTablePattern,
    PMG0837 => crate::check::tables::ExcludesEverything,
    PMG0838 => crate::check::tables::EmptyTableList,
    PMG0839 => crate::check::tables::SystemSchema,
    PMG0840 => crate::check::writes::PartialCopyCutover,
    PMG0841 => crate::check::gates::UnsupportedGateMetric,
    PMG0842 => crate::check::gates::GateOnOtherService,
    PMG0843 => crate::check::gates::BadServiceGate,
    PMG0845 => crate::check::writes::UnownedDataCutoverOverride,
    PMG0846 => crate::check::infra::HttpWithoutLoadBalancer,
    PMG0847 => crate::check::resolver::IdleVpnDns,
    PMG0848 => crate::check::idle::IdleReaderLogin,
    PMG0850 => crate::check::database::DbnameListOnMysql,
    PMG0851 => crate::check::database::DuplicateDbname,
    PMG0852 => crate::check::database::EmptyDbnameList,
    PMG0853 => crate::check::rules::DatabaseAsSchema,
    PMG0854 => crate::check::rules::BadDatabaseTask,
    PMG0860 => crate::check::owners::EmptyOwnerList,
    PMG0861 => crate::check::owners::OwnerListedTwice,
    PMG0862 => crate::check::owners::SharedCutoverRecord,
    PMG0870 => crate::check::unread::IdleDmsRoles,
    PMG0871 => crate::check::unread::IdleReaderLoginInBlock,

    // 09xx security
    PMG0901 => crate::check::database::PublicDatabase,
    PMG0902 => crate::check::database::EncryptionOff,
    PMG0903 => crate::check::hardening::OpenToInternet,
    PMG0904 => crate::check::exposure::HttpForwarded,
    PMG0905 => crate::check::hardening::WafOffWithoutReason,
    PMG0906 => crate::check::infra::WafWithoutLoadBalancer,
    PMG0907 => crate::check::hardening::PublicAllowWithoutReason,

    // 10xx workspaces
    PMG1001 => crate::check::workspace::UnknownOverride,
    PMG1002 => crate::check::rules::SharedState,
    PMG1003 => crate::check::identifiers::WorkspaceName,
    PMG1004 => crate::check::placeholders::PlaceholderNotFilled,
    PMG1005 => crate::check::placeholders::PlaceholderType,
    PMG1006 => crate::check::placeholders::PlaceholderNotInput,
    PMG1007 => crate::check::migration::UnknownWorkspace,
    PMG1008 => crate::check::workspace::NotOverridable,
    PMG1009 => crate::check::account::SharedVpnGateway,
    PMG1010 => crate::check::workspace::BadStateLocation,
    PMG1011 => crate::check::identifiers::InputNamedLikeSetting,

    // 11xx names
    PMG1101 => crate::check::derived::NameTooLong,
    PMG1102 => crate::check::derived::NameCharacters,
    PMG1103 => crate::check::misspelt::MisspeltDeclaration,

    // 12xx AWS apply-time constraints and migration safety
    PMG1201 => crate::check::dns::CertificateDoesNotCover,
    PMG1202 => crate::check::dns::CnameLoop,
    PMG1203 => crate::check::dns::TtlTooLong,
    PMG1204 => crate::check::dns::TtlDefeatsGate,
    PMG1205 => crate::check::dns::FullLoadCannotGate,
    PMG1206 => crate::check::dns::BadDnsName,
    PMG1207 => crate::check::dns::MisplacedWildcard,
    PMG1208 => crate::check::dns::LegacyIsAddress,
    PMG1209 => crate::check::dns::SourceIsCutoverRecord,
    PMG1210 => crate::check::dns::OneStepCutover,
    PMG1211 => crate::check::dns::ZeroLag,
    PMG1212 => crate::check::apply::OneZone,
    PMG1213 => crate::check::apply::LoadBalancerSubnetTooSmall,
    PMG1214 => crate::check::apply::PrivateSubnetsTooSmall,
    PMG1215 => crate::check::apply::NoFailoverReader,
    PMG1216 => crate::check::apply::VpnNotAttached,
    PMG1217 => crate::check::apply::SourceOutsideVpn,
    PMG1218 => crate::check::apply::ReadsAcrossNetworks,
    PMG1219 => crate::check::apply::TargetsInOtherNetwork,
    PMG1220 => crate::check::apply::VpcTooLarge,
    PMG1221 => crate::check::apply::VpcRangeReserved,
    PMG1222 => crate::check::apply::BadTag,
    PMG1223 => crate::check::apply::BadSecretName,
    PMG1224 => crate::check::apply::SecretNameSuffix,
    PMG1225 => crate::check::apply::BadMasterUsername,
    PMG1226 => crate::check::apply::BadHealthPath,
    PMG1227 => crate::check::apply::BadPathPattern,
    PMG1228 => crate::check::apply::AllowUnroutable,
    PMG1229 => crate::check::apply::PathAllowTooLong,
    PMG1230 => crate::check::apply::SourceNameUnresolvable,
}
