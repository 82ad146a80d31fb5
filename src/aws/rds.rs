//! Aurora features by engine and instance class.

/// Whether an Aurora instance of `class` running `rds_engine` (`aurora-mysql`,
/// `aurora-postgresql`) supports Performance Insights (Database Insights). Aurora MySQL does
/// not on `db.t2`, `db.t3`, `db.t4g.micro` and `db.t4g.small`; Aurora PostgreSQL has no class
/// restriction; Serverless v2 is supported. ("Amazon Aurora DB engine, Region, and instance
/// class support for Database Insights", Aurora User Guide,
/// <https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Engines.html>.)
pub(crate) fn performance_insights(rds_engine: &str, class: &str) -> bool {
    if rds_engine != "aurora-mysql" {
        return true;
    }
    !(class.starts_with("db.t2.")
        || class.starts_with("db.t3.")
        || class == "db.t4g.micro"
        || class == "db.t4g.small")
}

/// The Enhanced Monitoring intervals RDS accepts, in seconds (0 turns it off): "Valid Values:
/// 0, 1, 5, 10, 15, 30, 60" (`MonitoringInterval`, `CreateDBInstance`, Amazon RDS API
/// Reference).
pub(crate) const MONITORING_INTERVALS: &[u64] = &[0, 1, 5, 10, 15, 30, 60];

/// The service principal Enhanced Monitoring assumes its role as ("Setting up and enabling
/// Enhanced Monitoring", Aurora User Guide).
pub(crate) const MONITORING_PRINCIPAL: &str = "monitoring.rds.amazonaws.com";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burstable_mysql_classes_have_no_performance_insights() {
        assert!(!performance_insights("aurora-mysql", "db.t3.medium"));
        assert!(performance_insights("aurora-mysql", "db.t4g.medium"));
        assert!(performance_insights("aurora-mysql", "db.r6g.large"));
        assert!(performance_insights("aurora-postgresql", "db.t3.medium"));
        assert!(performance_insights("aurora-mysql", "db.serverless"));
    }
}
