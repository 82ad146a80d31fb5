//! What a checked workspace derives, from its model alone: every row of the registry that
//! lowering writes for this stack, with its block and parameters, in the order lowering writes
//! them. The conditions here are lowering's (a load balancer only for an exposed service, the
//! gate's alarms only in the workspace that manages the cutover, a dashboard page per 500
//! widgets); a test lowers stacks and compares (`tests/names.rs`).

use super::table::{
    self, cutover, dashboard, data_cutover, database, existing, network, replication, service,
};
use super::{Item, Owner, Row};
use crate::model::{
    Arch, DmsRoles, HttpMode, Image, Listener, Lookup, Name, NatMode, Origin, Stack, WritePath,
};
use crate::registry::Kind;

/// The most widgets CloudWatch accepts on one dashboard (`PutDashboard`): a dashboard with
/// more panels goes on further pages.
pub(crate) const WIDGETS_PER_DASHBOARD: usize = 500;

struct Collector<'a, 'v> {
    visit: &'v mut dyn FnMut(&Item),
    renames: &'a [(Name, Name)],
    /// The last block's name and physical name, and their address and AWS forms.
    forms: (String, String, String, String),
    /// Whether only the stack's own rows are visited.
    only_stack: bool,
}

impl Collector<'_, '_> {
    fn add(
        &mut self,
        row: &'static Row,
        owner: Owner,
        block: &Name,
        params: &[&str],
        origin: Origin,
    ) {
        if self.only_stack && owner != Owner::Stack {
            return;
        }
        let physical = self
            .renames
            .iter()
            .find(|(_, new)| new == block)
            .map_or(block, |(old, _)| old);
        let forms = &mut self.forms;
        if forms.0 != block.as_str() || forms.1 != physical.as_str() {
            // The buffers are reused: no allocation once they are long enough.
            let mapped = |out: &mut String, name: &str, from: char, to: char| {
                out.clear();
                out.extend(name.chars().map(|c| if c == from { to } else { c }));
            };
            forms.0.clear();
            forms.0.push_str(block.as_str());
            forms.1.clear();
            forms.1.push_str(physical.as_str());
            mapped(&mut forms.2, block.as_str(), '-', '_');
            mapped(&mut forms.3, physical.as_str(), '_', '-');
        }
        (self.visit)(&Item {
            row,
            owner,
            block,
            physical,
            params,
            origin,
            address_form: &forms.2,
            aws_form: &forms.3,
        });
    }
}

/// Every thing `stack`'s root holds that the registry describes, for a workspace built with
/// `renames` (`(old, new)`: block `new` keeps `old`'s names in AWS).
#[cfg(test)]
pub(crate) fn all(stack: &Stack, renames: &[(Name, Name)]) -> Vec<super::Derived> {
    let mut out = Vec::new();
    each(stack, renames, &mut |item| out.push(item.to_derived()));
    out
}

/// Hands every thing `stack`'s root holds to `visit`, in the order lowering writes them.
pub(crate) fn each(stack: &Stack, renames: &[(Name, Name)], visit: &mut dyn FnMut(&Item)) {
    visit_all(stack, renames, false, visit);
}

/// Hands the things the `stack` block itself derives to `visit` (its key, log bucket, web
/// ACL, DMS's roles…).
pub(crate) fn each_of_stack(stack: &Stack, visit: &mut dyn FnMut(&Item)) {
    visit_all(stack, &[], true, visit);
}

fn visit_all(
    stack: &Stack,
    renames: &[(Name, Name)],
    only_stack: bool,
    visit: &mut dyn FnMut(&Item),
) {
    let mut c = Collector {
        visit,
        renames,
        forms: Default::default(),
        only_stack,
    };
    let st = (Owner::Stack, &stack.name, stack.origin);
    c.add(&table::stack::NAME, st.0, st.1, &[], st.2);
    // security
    c.add(&table::stack::CALLER, st.0, st.1, &[], st.2);
    c.add(&table::stack::KMS_KEY, st.0, st.1, &[], st.2);
    c.add(&table::stack::KMS_ALIAS, st.0, st.1, &[], st.2);
    for secret in &stack.secrets {
        let owner = Owner::Block(Kind::Secret);
        c.add(&existing::SECRET, owner, &secret.name, &[], secret.origin);
        c.add(
            &existing::SECRET_VALUE,
            owner,
            &secret.name,
            &[],
            secret.origin,
        );
    }
    // network
    for vpn in &stack.vpns {
        c.add(
            &existing::VPN_GATEWAY,
            Owner::Block(Kind::Vpn),
            &vpn.name,
            &[],
            vpn.origin,
        );
        c.add(
            &existing::VPN_TUNNEL_ALARM,
            Owner::Block(Kind::Vpn),
            &vpn.name,
            &[],
            vpn.origin,
        );
    }
    for n in &stack.networks {
        networks(&mut c, n);
    }
    // databases
    for db in &stack.databases {
        databases(&mut c, stack, db);
    }
    // edge and WAF
    if stack.services.iter().any(|s| s.exposure.is_some()) {
        if crate::aws::regions::elb_account_delivers(&stack.region) {
            c.add(&table::stack::ELB_ACCOUNT, st.0, st.1, &[], st.2);
        }
        for row in [
            &table::stack::LOG_BUCKET,
            &table::stack::LOG_BUCKET_PUBLIC_ACCESS,
            &table::stack::LOG_BUCKET_ENCRYPTION,
            &table::stack::LOG_BUCKET_VERSIONING,
            &table::stack::LOG_BUCKET_LIFECYCLE,
            &table::stack::LOG_BUCKET_POLICY,
        ] {
            c.add(row, st.0, st.1, &[], st.2);
        }
    }
    let protected: Vec<&crate::model::Service> = stack
        .services
        .iter()
        .filter(|s| s.exposure.as_ref().is_some_and(|e| e.waf))
        .collect();
    if !protected.is_empty() {
        for row in [
            &table::stack::WEB_ACL,
            &table::stack::WAF_LOGS,
            &table::stack::WAF_LOGGING,
        ] {
            c.add(row, st.0, st.1, &[], st.2);
        }
        for s in &protected {
            let owner = Owner::Block(Kind::Service);
            c.add(&service::WAF_ASSOCIATION, owner, &s.name, &[], s.origin);
        }
    }
    // compute
    if !stack.services.is_empty() {
        for arch in [Arch::X86_64, Arch::Arm64] {
            if stack
                .services
                .iter()
                .any(|s| s.image == Image::AmazonLinux(arch))
            {
                c.add(
                    &table::stack::AMAZON_LINUX,
                    st.0,
                    st.1,
                    &[arch.as_str()],
                    st.2,
                );
            }
        }
        for cert in &stack.certificates {
            let owner = Owner::Block(Kind::Certificate);
            c.add(&existing::CERTIFICATE, owner, &cert.name, &[], cert.origin);
        }
    }
    for s in &stack.services {
        services(&mut c, stack, s);
    }
    // replication, and the fallbacks of the data cutovers this workspace owns
    for r in &stack.replications {
        replications(&mut c, stack, r);
    }
    if !stack.replications.is_empty() {
        for d in stack.owned_data_cutovers() {
            fallback(&mut c, stack, d);
        }
    }
    if !stack.replications.is_empty() && stack.dms_roles == DmsRoles::Create {
        for row in [
            &table::stack::DMS_VPC_ROLE,
            &table::stack::DMS_VPC_POLICY,
            &table::stack::DMS_LOGS_ROLE,
            &table::stack::DMS_LOGS_POLICY,
        ] {
            c.add(row, st.0, st.1, &[], st.2);
        }
    }
    // the networks' Secrets Manager endpoints and DNS resolvers
    for n in &stack.networks {
        endpoints(&mut c, stack, n);
    }
    for n in &stack.networks {
        resolver(&mut c, stack, n);
    }
    // the writer and reader names of the databases a replication feeds (`lower::writer`)
    let named: Vec<&crate::model::Database> = stack
        .databases
        .iter()
        .filter(|db| has_names(stack, &db.name))
        .collect();
    if let Some(first) = named.first() {
        c.add(&table::stack::WRITER_ZONE, st.0, st.1, &[], first.origin);
    }
    for db in named {
        let owner = Owner::Block(Kind::Database);
        c.add(&database::WRITER_RECORD, owner, &db.name, &[], db.origin);
        c.add(&database::READER_RECORD, owner, &db.name, &[], db.origin);
    }
    // cutover
    for condition in stack.gate_conditions() {
        let r = condition.replication.name();
        let origin = stack
            .replications
            .iter()
            .find(|x| &x.name == r)
            .map_or(stack.origin, |x| x.origin);
        let threshold = condition.threshold.0.to_string();
        for (task, _) in stack.replication_tasks(r) {
            for side in ["source", "target"] {
                let owner = Owner::Block(Kind::Replication);
                let params = [threshold.as_str(), side];
                c.add(&replication::LAG_ALARM, owner, &task, &params, origin);
                c.add(&replication::LAG_CHECK, owner, &task, &params, origin);
            }
        }
    }
    for condition in stack.service_gate_conditions() {
        let s = condition.service.name();
        let origin = stack
            .services
            .iter()
            .find(|x| &x.name == s)
            .map_or(stack.origin, |x| x.origin);
        for (part, _) in condition.alarm_parts() {
            let aws = part.replace('_', "-");
            let owner = Owner::Block(Kind::Service);
            c.add(&service::GATE_ALARM, owner, s, &[&part, &aws], origin);
            c.add(&service::GATE_CHECK, owner, s, &[&part, &aws], origin);
        }
    }
    for id in stack.gated_replications() {
        let r = id.name();
        let origin = stack
            .replications
            .iter()
            .find(|x| &x.name == r)
            .map_or(stack.origin, |x| x.origin);
        for (task, _) in stack.replication_tasks(r) {
            for side in ["failed", "suspended"] {
                let owner = Owner::Block(Kind::Replication);
                c.add(
                    &replication::VALIDATION_ALARM,
                    owner,
                    &task,
                    &[side],
                    origin,
                );
                c.add(
                    &replication::VALIDATION_CHECK,
                    owner,
                    &task,
                    &[side],
                    origin,
                );
            }
        }
    }
    for cut in stack.cutovers.iter().filter(|x| stack.manages(x)) {
        let owner = Owner::Block(Kind::Cutover);
        let o = cut.origin;
        c.add(&cutover::ZONE, owner, &cut.name, &[], o);
        // Retired after a data cutover: the AWS record alone (`lower::cutover::retired`).
        if stack.legacy_retired(cut) {
            c.add(&cutover::AWS_RECORD, owner, &cut.name, &[], o);
            continue;
        }
        c.add(&cutover::LEGACY_RECORD, owner, &cut.name, &[], o);
        c.add(&cutover::APP_CHECK, owner, &cut.name, &[], o);
        if let Some(gate) = &cut.gate {
            c.add(&cutover::GATE_CHECK, owner, &cut.name, &[], o);
            // A condition on a replication its data cutover stopped holds nothing back.
            for condition in gate
                .conditions
                .iter()
                .filter(|c| stack.forward_runs(c.replication.name()))
            {
                for (task, _) in stack.replication_tasks(condition.replication.name()) {
                    let r = task.address();
                    c.add(&cutover::RUNNING, owner, &cut.name, &[&r], o);
                    c.add(&cutover::RUNNING_TASK, owner, &cut.name, &[&r], o);
                }
            }
        }
        c.add(&cutover::AWS_RECORD, owner, &cut.name, &[], o);
    }
    // monitoring
    for s in &stack.services {
        let owner = Owner::Block(Kind::Service);
        c.add(&service::CPU_ALARM, owner, &s.name, &[], s.origin);
    }
    let pages = dashboard_panels(stack)
        .div_ceil(WIDGETS_PER_DASHBOARD)
        .max(1);
    for d in &stack.dashboards {
        let owner = Owner::Block(Kind::Dashboard);
        c.add(&dashboard::DASHBOARD, owner, &d.name, &[], d.origin);
        for page in 2..=pages {
            c.add(
                &dashboard::PAGE,
                owner,
                &d.name,
                &[&page.to_string()],
                d.origin,
            );
        }
    }
    for output in &stack.outputs {
        c.add(
            &table::OUTPUT,
            Owner::Output,
            &output.name,
            &[],
            output.origin,
        );
    }
}

/// How many panels a dashboard of `stack` shows (`lower::monitoring`): per cutover its gate (or,
/// without a gate, its requests when its service has a load balancer), two per load balancer,
/// per database its CPU and connections and what its engine adds, one per replication and one
/// per service.
pub(crate) fn dashboard_panels(stack: &Stack) -> usize {
    let cutovers = stack
        .cutovers
        .iter()
        .filter(|c| {
            c.gate.is_some()
                || stack
                    .services
                    .iter()
                    .find(|s| &s.name == c.service.name())
                    .is_some_and(|s| s.exposure.is_some())
        })
        .count();
    let balancers = stack
        .services
        .iter()
        .filter(|s| s.exposure.is_some())
        .count();
    let databases: usize = stack
        .databases
        .iter()
        .map(|d| 1 + d.profile().dashboard_metrics.len())
        .sum();
    cutovers + 2 * balancers + databases + stack.replications.len() + stack.services.len()
}

fn networks(c: &mut Collector, n: &crate::model::Network) {
    let owner = Owner::Block(Kind::Network);
    let (name, o) = (&n.name, n.origin);
    c.add(&network::VPC, owner, name, &[], o);
    c.add(&network::DEFAULT_GROUP, owner, name, &[], o);
    for (tier, subnets) in [
        ("public", &n.public_subnets),
        ("private", &n.private_subnets),
    ] {
        for zone in 1..=subnets.len() {
            c.add(&network::SUBNET, owner, name, &[tier, &zone.to_string()], o);
        }
    }
    c.add(&network::INTERNET_GATEWAY, owner, name, &[], o);
    let nats = match n.nat {
        NatMode::PerZone => n.zones,
        NatMode::Single => 1,
    };
    for zone in 1..=nats {
        let zone = zone.to_string();
        c.add(&network::NAT_ADDRESS, owner, name, &[&zone], o);
        c.add(&network::NAT_GATEWAY, owner, name, &[&zone], o);
    }
    c.add(&network::PUBLIC_ROUTES, owner, name, &[], o);
    c.add(&network::PUBLIC_ROUTE, owner, name, &[], o);
    if let Some(vpn) = &n.vpn {
        c.add(&network::VPN_ATTACHMENT, owner, name, &[&vpn.address()], o);
    }
    for zone in 1..=n.zones {
        let zone = zone.to_string();
        c.add(&network::PUBLIC_ASSOCIATION, owner, name, &[&zone], o);
        c.add(&network::PRIVATE_ROUTES, owner, name, &[&zone], o);
        c.add(&network::PRIVATE_ROUTE, owner, name, &[&zone], o);
        c.add(&network::PRIVATE_ASSOCIATION, owner, name, &[&zone], o);
        if n.vpn.is_some() {
            c.add(&network::PROPAGATION, owner, name, &[&zone], o);
        }
    }
    for row in [
        &network::FLOW_LOG_GROUP,
        &network::FLOW_LOG_ROLE,
        &network::FLOW_LOG_POLICY,
        &network::FLOW_LOG,
    ] {
        c.add(row, owner, name, &[], o);
    }
}

fn databases(c: &mut Collector, stack: &Stack, db: &crate::model::Database) {
    let owner = Owner::Block(Kind::Database);
    let (name, o) = (&db.name, db.origin);
    c.add(&database::SUBNET_GROUP, owner, name, &[], o);
    c.add(&database::GROUP, owner, name, &[], o);
    for s in stack
        .services
        .iter()
        .filter(|s| s.reads.iter().any(|r| r.name() == name))
    {
        c.add(&database::FROM, owner, name, &[&s.name.address()], o);
    }
    for r in stack
        .replications
        .iter()
        .filter(|r| r.target.name() == name)
    {
        c.add(&database::FROM, owner, name, &[&r.name.address()], o);
    }
    for d in stack
        .owned_data_cutovers()
        .filter(|d| d.database.name() == name)
    {
        c.add(&database::FROM, owner, name, &[&d.name.address()], o);
    }
    for i in 1..=db.allow.len() {
        c.add(&database::ALLOW, owner, name, &[&i.to_string()], o);
    }
    c.add(&database::PARAMETER_GROUP, owner, name, &[], o);
    c.add(&database::CLUSTER, owner, name, &[], o);
    c.add(&database::MONITORING_ROLE, owner, name, &[], o);
    c.add(&database::MONITORING_POLICY, owner, name, &[], o);
    for i in 1..=db.writers {
        c.add(
            &database::INSTANCE,
            owner,
            name,
            &["writer", &i.to_string()],
            o,
        );
    }
    for i in 1..=db.readers {
        c.add(
            &database::INSTANCE,
            owner,
            name,
            &["reader", &i.to_string()],
            o,
        );
    }
}

fn services(c: &mut Collector, stack: &Stack, s: &crate::model::Service) {
    let owner = Owner::Block(Kind::Service);
    let (name, o) = (&s.name, s.origin);
    let address = name.address();
    c.add(&service::GROUP, owner, name, &[], o);
    for db in &s.reads {
        c.add(&service::TO_DATABASE, owner, name, &[&db.address()], o);
    }
    c.add(&service::HTTPS_OUT, owner, name, &[], o);
    if let Some(exposure) = &s.exposure {
        let listeners: Vec<&str> = match (&exposure.listener, exposure.http) {
            (Listener::Http, _) => vec!["http"],
            (Listener::Https(_), HttpMode::Off) => vec!["https"],
            (Listener::Https(_), _) => vec!["https", "http"],
        };
        match exposure.facing {
            crate::model::Facing::Internet => {
                for l in ["https"]
                    .into_iter()
                    .chain((exposure.http != HttpMode::Off).then_some("http"))
                {
                    c.add(&service::ALB_FROM_INTERNET, owner, name, &[l], o);
                }
            }
            crate::model::Facing::Internal => {
                let network = stack
                    .networks
                    .iter()
                    .find(|n| &n.name == exposure.placement.network.name());
                let onprem = network
                    .and_then(|n| n.vpn.as_ref())
                    .and_then(|v| stack.vpns.iter().find(|x| &x.name == v.name()))
                    .map_or(0, |v| v.networks.len());
                let sources: Vec<String> = std::iter::once("vpc".to_string())
                    .chain((1..=onprem).map(|i| format!("onprem_{i}")))
                    .collect();
                for l in &listeners {
                    for source in &sources {
                        c.add(&service::ALB_FROM_NETWORK, owner, name, &[l, source], o);
                    }
                }
            }
        }
        c.add(&service::ALB_GROUP, owner, name, &[], o);
        if s.port.is_some() {
            c.add(&service::ALB_TO_SERVICE, owner, name, &[&address], o);
            c.add(&service::FROM_ALB, owner, name, &[&address], o);
            c.add(&service::TARGET_GROUP, owner, name, &[], o);
        }
        c.add(&service::LOAD_BALANCER, owner, name, &[], o);
        for l in listeners {
            c.add(&service::LISTENER, owner, name, &[l], o);
        }
    }
    if let Some(route) = &s.route {
        let via = route.via.address();
        if s.port.is_some() {
            c.add(&service::ALB_TO_SERVICE, owner, name, &[&via], o);
            c.add(&service::FROM_ALB, owner, name, &[&via], o);
            c.add(&service::TARGET_GROUP, owner, name, &[], o);
        }
        c.add(&service::LISTENER_RULE, owner, name, &[], o);
    }
    // A service routed by path is reached through the load balancer, whose listener rule
    // applies its allow-list.
    if s.port.is_some() && s.route.is_none() {
        for i in 1..=s.allow.len() {
            c.add(&service::ALLOW, owner, name, &[&i.to_string()], o);
        }
    }
    c.add(&service::ROLE, owner, name, &[], o);
    if !s.reads.is_empty() {
        c.add(&service::SECRETS_POLICY, owner, name, &[], o);
    }
    c.add(&service::PROFILE, owner, name, &[], o);
    if s.boot.is_some() && !s.reads.is_empty() {
        for db in &s.reads {
            let d = stack.databases.iter().find(|x| &x.name == db.name());
            // A database a replication feeds is reached through its writer and reader names;
            // a service that only reads it gets only the reader (`lower::boot`).
            let named = has_names(stack, db.name());
            let only_reads = s.reads_only(db);
            let mut keys = Vec::new();
            if !only_reads {
                keys.push("writer_endpoint");
            }
            if only_reads || !named {
                keys.push("reader_endpoint");
            }
            keys.extend(["port", "username", "secret_arn", "secret_key"]);
            if d.is_some_and(|d| d.initial_database().is_some()) {
                keys.push("database");
            }
            for key in keys {
                c.add(
                    &service::PARAMETER,
                    owner,
                    name,
                    &[&db.address(), key, db.name().as_str()],
                    o,
                );
            }
        }
        c.add(&service::PARAMETERS_POLICY, owner, name, &[], o);
    }
    // Before a database's data cutover, its writers reach the data centre's primary
    // (`lower::compute`).
    for db in s.writes() {
        let WritePath::Replicated {
            replication,
            writer,
            ..
        } = stack.write_path(db)
        else {
            continue;
        };
        if writer.aws_writes_aurora() {
            continue;
        }
        let networks = stack
            .find(&replication.source.vpn)
            .map_or(0, |v| v.networks.len());
        for i in 1..=networks {
            c.add(
                &service::TO_DATACENTRE,
                owner,
                name,
                &[&db.address(), &i.to_string()],
                o,
            );
        }
    }
    c.add(&service::LAUNCH_TEMPLATE, owner, name, &[], o);
    c.add(&service::GROUP_OF_INSTANCES, owner, name, &[], o);
    c.add(&service::CPU_POLICY, owner, name, &[], o);
}

fn replications(c: &mut Collector, stack: &Stack, r: &crate::model::Replication) {
    let owner = Owner::Block(Kind::Replication);
    let (name, o) = (&r.name, r.origin);
    c.add(&replication::TASK_RESOURCE_ID, owner, name, &[], o);
    c.add(&replication::SUBNET_GROUP, owner, name, &[], o);
    let onprem = stack
        .vpns
        .iter()
        .find(|v| &v.name == r.source.vpn.name())
        .map_or(0, |v| v.networks.len());
    dms(c, owner, name, onprem, &r.target.address(), o);
    extra_tasks(c, stack, owner, name, r.target.name(), o);
}

/// The tasks of the databases after the first (`dbname = [...]`, `model::task_block`): each
/// its resource id, its two endpoints (reading the first's secrets) and the task.
fn extra_tasks(
    c: &mut Collector,
    stack: &Stack,
    owner: Owner,
    name: &Name,
    database: &Name,
    o: Origin,
) -> Vec<Name> {
    let tasks: Vec<Name> = stack
        .tasks(name, database)
        .into_iter()
        .skip(1)
        .map(|(t, _)| t)
        // A name DMS refuses is reported once, as PMG0854, not again per resource.
        .filter(|t| crate::model::task_block_refused(t).is_none())
        .collect();
    for task in &tasks {
        c.add(&replication::TASK_RESOURCE_ID, owner, task, &[], o);
        for side in ["source", "target"] {
            c.add(&replication::ENDPOINT, owner, task, &[side], o);
        }
        c.add(&replication::TASK, owner, task, &[], o);
    }
    tasks
}

/// What a DMS task derives under `name` (a replication's, or a data cutover's fallback): its
/// instance's group and rules (`onprem` data centre networks, the Aurora target's address), the
/// instance, both endpoints with their secrets, the role that reads them, and the task.
fn dms(c: &mut Collector, owner: Owner, name: &Name, onprem: usize, target: &str, o: Origin) {
    c.add(&replication::GROUP, owner, name, &[], o);
    for i in 1..=onprem {
        c.add(&replication::TO_ONPREM, owner, name, &[&i.to_string()], o);
    }
    c.add(&replication::TO_DATABASE, owner, name, &[target], o);
    c.add(&replication::INSTANCE, owner, name, &[], o);
    for side in ["source", "target"] {
        c.add(&replication::SECRET, owner, name, &[side], o);
        c.add(&replication::SECRET_VERSION, owner, name, &[side], o);
        c.add(&replication::ENDPOINT, owner, name, &[side], o);
    }
    c.add(&replication::SECRETS_ROLE, owner, name, &[], o);
    c.add(&replication::SECRETS_POLICY, owner, name, &[], o);
    c.add(&replication::TASK, owner, name, &[], o);
}

/// The fallback of a data cutover (`lower::replication::fallback`): a replication's
/// instance, endpoints and task under the data cutover's name, and its alarms.
fn fallback(c: &mut Collector, stack: &Stack, d: &crate::model::DataCutover) {
    let owner = Owner::Block(Kind::DataCutover);
    let (name, o) = (&d.name, d.origin);
    c.add(&replication::TASK_RESOURCE_ID, owner, name, &[], o);
    let onprem = stack
        .find(&d.replication)
        .and_then(|r| stack.find(&r.source.vpn))
        .map_or(0, |v| v.networks.len());
    dms(c, owner, name, onprem, &d.database.address(), o);
    let extra = extra_tasks(c, stack, owner, name, d.database.name(), o);
    for (task, which) in std::iter::once(name).chain(&extra).flat_map(|t| {
        [
            "lag_source",
            "lag_target",
            "validation_failed",
            "validation_suspended",
        ]
        .map(|w| (t, w))
    }) {
        let kebab = which.replace('_', "-");
        c.add(
            &data_cutover::FALLBACK_ALARM,
            owner,
            task,
            &[which, &kebab],
            o,
        );
    }
}

/// Whether a replication feeds database `db`: it then has writer and reader names.
fn has_names(stack: &Stack, db: &Name) -> bool {
    stack.replications.iter().any(|r| r.target.name() == db)
}

/// The Secrets Manager endpoint of a network that runs a replication (`lower::endpoints`).
fn endpoints(c: &mut Collector, stack: &Stack, n: &crate::model::Network) {
    let replications: Vec<&crate::model::Replication> = stack
        .replications
        .iter()
        .filter(|r| replicates_into(stack, r, n))
        .collect();
    if replications.is_empty() {
        return;
    }
    let owner = Owner::Block(Kind::Network);
    let (name, o) = (&n.name, n.origin);
    c.add(&network::ENDPOINT_GROUP, owner, name, &[], o);
    // The replications, and the fallbacks of data cutovers, which run in their forward
    // replication's subnets.
    let fallbacks: Vec<&crate::model::DataCutover> = stack
        .owned_data_cutovers()
        .filter(|d| replications.iter().any(|r| &r.name == d.replication.name()))
        .collect();
    let instances = replications
        .iter()
        .map(|r| (Kind::Replication, &r.name, r.origin))
        .chain(
            fallbacks
                .iter()
                .map(|d| (Kind::DataCutover, &d.name, d.origin)),
        );
    for (kind, block, origin) in instances.clone() {
        c.add(
            &replication::TO_SECRETS_MANAGER,
            Owner::Block(kind),
            block,
            &[],
            origin,
        );
    }
    let callers = instances.map(|(_, block, _)| block.address()).chain(
        stack
            .services
            .iter()
            .filter(|s| s.placement.network.name() == name && !s.reads.is_empty())
            .map(|s| s.name.address()),
    );
    for caller in callers {
        c.add(&network::ENDPOINT_FROM, owner, name, &[&caller], o);
    }
    c.add(&network::ENDPOINT, owner, name, &[], o);
}

/// The DNS resolver of a network whose replications' sources only the data centre's DNS
/// servers know (`lower::resolver`).
fn resolver(c: &mut Collector, stack: &Stack, n: &crate::model::Network) {
    let Some(vpn) = n.vpn.as_ref().and_then(|v| stack.find(v)) else {
        return;
    };
    let zones = resolver_zones(stack, n, vpn);
    if zones.is_empty() || vpn.dns.is_empty() {
        return;
    }
    let owner = Owner::Block(Kind::Network);
    let (name, o) = (&n.name, n.origin);
    c.add(&network::RESOLVER_GROUP, owner, name, &[], o);
    for i in 1..=vpn.dns.len() {
        for protocol in ["udp", "tcp"] {
            let i = i.to_string();
            c.add(
                &network::RESOLVER_TO_SERVER,
                owner,
                name,
                &[protocol, &i],
                o,
            );
        }
    }
    c.add(&network::RESOLVER, owner, name, &[], o);
    for i in 1..=zones.len() {
        let i = i.to_string();
        c.add(&network::FORWARD, owner, name, &[&i], o);
        c.add(&network::FORWARD_ASSOCIATION, owner, name, &[&i], o);
    }
}

/// The private domains a network's resolver forwards: those of its replications' sources
/// only the data centre's DNS servers know, sorted, once each.
pub(crate) fn resolver_zones(
    stack: &Stack,
    net: &crate::model::Network,
    vpn: &crate::model::Vpn,
) -> Vec<String> {
    let mut zones: Vec<String> = stack
        .replications
        .iter()
        .filter(|r| replicates_into(stack, r, net))
        .filter_map(|r| crate::aws::dns::private_zone(&r.source.host, &vpn.domains))
        .collect();
    zones.sort();
    zones.dedup();
    zones
}

/// Whether replication `r`'s target database is in network `n` (`false` for a target the
/// checker could not resolve: the checker runs on incomplete models too).
pub(crate) fn replicates_into(
    stack: &Stack,
    r: &crate::model::Replication,
    n: &crate::model::Network,
) -> bool {
    stack
        .find(&r.target)
        .is_some_and(|db| db.placement.network.name() == &n.name)
}
