//! Service principals, and how a component in a VPC reaches an AWS API.

/// The principal an EC2 instance profile's role trusts ("Use an IAM role to grant permissions
/// to applications running on Amazon EC2 instances", IAM User Guide).
pub(crate) const EC2_PRINCIPAL: &str = "ec2.amazonaws.com";

/// The principal VPC Flow Logs assumes its role as ("IAM role for publishing flow logs to
/// CloudWatch Logs", Amazon VPC User Guide).
pub(crate) const FLOW_LOGS_PRINCIPAL: &str = "vpc-flow-logs.amazonaws.com";

/// The actions a flow log's role needs on its log group (same page).
pub(crate) const FLOW_LOGS_ACTIONS: &[&str] = &["logs:CreateLogStream", "logs:PutLogEvents"];

/// The principal DMS assumes an endpoint's Secrets Manager access role as: the regional one,
/// `dms.REGION.amazonaws.com` ("Using secrets to access AWS Database Migration Service
/// endpoints", AWS DMS User Guide).
pub(crate) fn dms_secrets_principal(region: &str) -> String {
    format!("dms.{region}.amazonaws.com")
}

/// The principal of DMS's account-wide roles `dms-vpc-role` and `dms-cloudwatch-logs-role`
/// ("Creating the IAM roles to use with AWS DMS", AWS DMS User Guide).
pub(crate) const DMS_PRINCIPAL: &str = "dms.amazonaws.com";

/// The principal CloudWatch Logs uses a KMS key as ("Encrypt log data in CloudWatch Logs using
/// AWS Key Management Service", CloudWatch Logs User Guide).
pub(crate) fn logs_principal(region: &str) -> String {
    format!("logs.{region}.amazonaws.com")
}

/// The service name of an AWS API's VPC endpoint in a region (`secretsmanager` →
/// `com.amazonaws.us-east-1.secretsmanager`; "AWS services that integrate with AWS
/// PrivateLink", AWS PrivateLink guide).
pub(crate) fn endpoint_service(region: &str, api: &str) -> String {
    format!("com.amazonaws.{region}.{api}")
}

/// The port every AWS API answers on (HTTPS).
pub(crate) const API_PORT: u16 = 443;

/// A DMS replication instance in private subnets reaches Secrets Manager itself (to read an
/// endpoint's credentials) from engine 3.4.7 on: it needs a VPC endpoint for Secrets Manager
/// or a route out through a NAT gateway, and its security group must let HTTPS out ("Configuring
/// VPC endpoints for AWS DMS", AWS DMS User Guide,
/// <https://docs.aws.amazon.com/dms/latest/userguide/CHAP_VPC_Endpoints.html>).
// Read by people, not code (no rule reads it yet): the fact, with its source.
#[allow(dead_code)]
pub(crate) const DMS_CALLS_SECRETS_MANAGER_FROM_VPC: bool = true;

/// The API (endpoint service suffix) an IAM action is served by (`secretsmanager:GetSecretValue`
/// → `secretsmanager`).
pub(crate) fn api_of(action: &str) -> &str {
    action.split(':').next().unwrap_or(action)
}
