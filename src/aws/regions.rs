//! Regions pmigc offers and what differs between them: how many availability zones each has,
//! whether its zone letters are mapped per account, and who delivers load balancer access logs.

/// Regions and how many availability zones each offers to new accounts ("AWS Availability
/// Zones", AWS Regions and Availability Zones guide,
/// <https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html>).
pub const REGIONS: &[(&str, u8)] = &[
    ("us-east-1", 6),
    ("us-east-2", 3),
    ("us-west-1", 2),
    ("us-west-2", 4),
    ("ca-central-1", 3),
    ("eu-west-1", 3),
    ("eu-west-2", 3),
    ("eu-west-3", 3),
    ("eu-central-1", 3),
    ("eu-central-2", 3),
    ("eu-north-1", 3),
    ("eu-south-1", 3),
    ("ap-south-1", 3),
    ("ap-southeast-1", 3),
    ("ap-southeast-2", 3),
    ("ap-northeast-1", 3),
    ("ap-northeast-2", 4),
    ("ap-northeast-3", 3),
    ("sa-east-1", 3),
    ("me-central-1", 3),
    ("af-south-1", 3),
];

pub fn zones_in(region: &str) -> Option<u8> {
    REGIONS.iter().find(|(r, _)| *r == region).map(|(_, z)| *z)
}

/// Zone letters are not a zone's identity: "In our oldest Regions, we independently map
/// Availability Zones to codes for each AWS account … the us-east-1a Availability Zone for your
/// account might not be the same physical location as it is in another account", and an
/// account sees only some letters (us-west-1 offers two zones, named `a`/`b` in some accounts
/// and `b`/`c` in others; ap-northeast-1 has no `b` for most). ("AZ IDs", AWS Regions and
/// Availability Zones guide, <https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html>.)
/// So a root must never list zones by letter: it takes the zones the account has
/// ([`ZONE_FILTER`]).
pub const ZONES_BY_LETTER_ARE_PER_ACCOUNT: bool = true;

/// The `aws_availability_zones` filter every root uses: the account's own zones (no Local or
/// Wavelength Zones, nothing to opt in to), in the order the data source sorts them.
pub const ZONE_FILTER: [(&str, &str); 2] = [
    ("opt-in-status", "opt-in-not-required"),
    ("zone-type", "availability-zone"),
];

/// Regions where Elastic Load Balancing writes access logs as an AWS account of its own
/// (the bucket policy names `arn:aws:iam::ACCOUNT:root`, which the provider's
/// `aws_elb_service_account` returns). Regions opened in August 2022 or later have no such
/// account: the bucket policy names the service principal
/// [`LOG_DELIVERY_PRINCIPAL`] instead, and `aws_elb_service_account` fails there ("Enable
/// access logs for your Application Load Balancer", step "Attach a policy to your S3 bucket",
/// Elastic Load Balancing User Guide,
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>).
pub const ELB_ACCOUNT_REGIONS: &[&str] = &[
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
pub const LOG_DELIVERY_PRINCIPAL: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

/// Whether load balancers of `region` deliver logs as the regional ELB account.
pub fn elb_account_delivers(region: &str) -> bool {
    ELB_ACCOUNT_REGIONS.contains(&region)
}

/// Not modelled, for want of a source pmigc can cite: which instance types, Aurora classes,
/// DMS classes and Serverless v2 each region sells (AWS's pages list them per region as
/// consoles, not as a table); a class a region does not sell fails at apply time.
pub const SALES_BY_REGION_MODELLED: bool = false;

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
}
