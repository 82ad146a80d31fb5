//! Regions pmigc offers and what differs between them: how many availability zones each has,
//! whether its zone letters are mapped per account, and who delivers load balancer access logs.

/// Regions pmigc offers and their availability zones by AZ ID (the identity that is the same
/// physical zone in every account), in the order pmigc places subnets in them ("AWS Availability
/// Zones" and "AZ IDs", AWS Regions and Availability Zones guide,
/// <https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html>,
/// <https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html>). Three regions
/// have gaps in their numbering: us-west-1 (`usw1-az1`, `usw1-az3`), ca-central-1 (`cac1-az4`,
/// no `az3`) and ap-northeast-1 (`apne1-az4`, no `az3`); the US ones are confirmed by the table
/// of "Supported Availability Zones for One Zone file systems" (Amazon EFS User Guide,
/// <https://docs.aws.amazon.com/efs/latest/ug/OneZoneAZs.html>). Every other list, gaps
/// included, is confirmed by the table of "Endpoints and quotas for EMR Serverless" (Amazon EMR
/// Serverless User Guide, read whole as
/// <https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/endpoints-quotas.md>),
/// which names, per region, the zones EMR Serverless runs in: exactly the IDs below for each
/// region outside the US (`euc1-az1`…`az3`, `apse2-az1`…`az3`, `cac1-az1`, `az2`, `az4`,
/// `apne1-az1`, `az2`, `az4`…), and the same US lists as the EFS table. Those tables list the
/// zones a service runs in, so a region may have more zones than its list here (us-east-1's
/// `use1-az3` is in neither): pmigc then offers fewer zones than AWS, never an ID AWS lacks; a
/// wrong ID would fail the subnet's creation at apply time, never pick another zone. `use1-az3` comes last in
/// us-east-1: that EFS table leaves it out, so it is the zone least likely to offer a service,
/// and pmigc uses it only for a network of six zones.
pub(crate) const REGIONS: &[(&str, &[&str])] = &[
    (
        "us-east-1",
        &[
            "use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6", "use1-az3",
        ],
    ),
    ("us-east-2", &["use2-az1", "use2-az2", "use2-az3"]),
    ("us-west-1", &["usw1-az1", "usw1-az3"]),
    (
        "us-west-2",
        &["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    ),
    ("ca-central-1", &["cac1-az1", "cac1-az2", "cac1-az4"]),
    ("eu-west-1", &["euw1-az1", "euw1-az2", "euw1-az3"]),
    ("eu-west-2", &["euw2-az1", "euw2-az2", "euw2-az3"]),
    ("eu-west-3", &["euw3-az1", "euw3-az2", "euw3-az3"]),
    ("eu-central-1", &["euc1-az1", "euc1-az2", "euc1-az3"]),
    ("eu-central-2", &["euc2-az1", "euc2-az2", "euc2-az3"]),
    ("eu-north-1", &["eun1-az1", "eun1-az2", "eun1-az3"]),
    ("eu-south-1", &["eus1-az1", "eus1-az2", "eus1-az3"]),
    ("ap-south-1", &["aps1-az1", "aps1-az2", "aps1-az3"]),
    ("ap-southeast-1", &["apse1-az1", "apse1-az2", "apse1-az3"]),
    ("ap-southeast-2", &["apse2-az1", "apse2-az2", "apse2-az3"]),
    ("ap-northeast-1", &["apne1-az1", "apne1-az2", "apne1-az4"]),
    (
        "ap-northeast-2",
        &["apne2-az1", "apne2-az2", "apne2-az3", "apne2-az4"],
    ),
    ("ap-northeast-3", &["apne3-az1", "apne3-az2", "apne3-az3"]),
    ("sa-east-1", &["sae1-az1", "sae1-az2", "sae1-az3"]),
    ("me-central-1", &["mec1-az1", "mec1-az2", "mec1-az3"]),
    ("af-south-1", &["afs1-az1", "afs1-az2", "afs1-az3"]),
];

/// How many availability zones `region` offers, if pmigc offers the region.
pub(crate) fn zones_in(region: &str) -> Option<u8> {
    zone_ids(region).and_then(|ids| u8::try_from(ids.len()).ok())
}

/// The AZ IDs of `region`, in the order subnets take them.
pub(crate) fn zone_ids(region: &str) -> Option<&'static [&'static str]> {
    REGIONS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, ids)| *ids)
}

/// Zone letters are not a zone's identity: "In our oldest Regions, we independently map
/// Availability Zones to codes for each AWS account … the us-east-1a Availability Zone for your
/// account might not be the same physical location as it is in another account", and an
/// account sees only some letters (us-west-1 offers two zones, named `a`/`b` in some accounts
/// and `b`/`c` in others; ap-northeast-1 has no `b` for most). ("AZ IDs", AWS Regions and
/// Availability Zones guide, <https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html>.)
/// So a root never names a zone by letter: each subnet names its zone by AZ ID
/// (`availability_zone_id`, from [`REGIONS`]). Nor does it ask the account for "the zones that
/// are available now" (an `aws_availability_zones` data source): that set changes when AWS adds
/// a zone or one is impaired, and subnets indexed into it would be planned for replacement.
pub(crate) const ZONES_BY_LETTER_ARE_PER_ACCOUNT: bool = true;

/// Regions where Elastic Load Balancing writes access logs as an AWS account of its own
/// (the bucket policy names `arn:aws:iam::ACCOUNT:root`, which the provider's
/// `aws_elb_service_account` returns). Regions opened in August 2022 or later have no such
/// account: the bucket policy names the service principal
/// [`LOG_DELIVERY_PRINCIPAL`] instead, and `aws_elb_service_account` fails there ("Enable
/// access logs for your Application Load Balancer", step "Attach a policy to your S3 bucket",
/// Elastic Load Balancing User Guide,
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>).
pub(crate) const ELB_ACCOUNT_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "sa-east-1",
    "af-south-1",
];

/// The principal that writes access logs in regions without an ELB account (above).
pub(crate) const LOG_DELIVERY_PRINCIPAL: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

/// Whether load balancers of `region` deliver logs as the regional ELB account.
pub(crate) fn elb_account_delivers(region: &str) -> bool {
    ELB_ACCOUNT_REGIONS.contains(&region)
}

/// Not modelled, for want of a source pmigc can cite: which instance types, Aurora classes,
/// DMS classes and Serverless v2 each region sells (AWS's pages list them per region as
/// consoles, not as a table); a class a region does not sell fails at apply time.
// Read by people, not code: the fact, and that it is not modelled, recorded where the others are.
#[allow(dead_code)]
pub(crate) const SALES_BY_REGION_MODELLED: bool = false;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_elb_account_region_is_offered() {
        for region in ELB_ACCOUNT_REGIONS {
            assert!(zones_in(region).is_some(), "{region}");
        }
        assert!(!elb_account_delivers("eu-central-2"));
        assert!(!elb_account_delivers("me-central-1"));
    }

    #[test]
    fn every_zone_id_belongs_to_its_region_and_is_listed_once() {
        for (region, ids) in REGIONS {
            let mut seen = std::collections::BTreeSet::new();
            for id in *ids {
                let (prefix, number) = id.split_once("-az").unwrap_or_default();
                // The prefix is the region's letters and its trailing number (use1, apne1).
                let digits = region.rsplit('-').next().unwrap_or_default();
                assert!(prefix.ends_with(digits), "{id} in {region}");
                assert!(number.parse::<u8>().is_ok(), "{id}");
                assert!(seen.insert(*id), "{id} twice in {region}");
            }
            assert!(ids.len() >= 2, "{region}");
        }
        assert_eq!(zone_ids("us-west-1"), Some(&["usw1-az1", "usw1-az3"][..]));
        assert_eq!(zones_in("us-east-1"), Some(6));
        assert_eq!(zones_in("mars-north-1"), None);
    }
}
