#!/bin/bash
# First boot of a reporting instance (the portal or the report builder; EC2 user data, sent
# unchanged by pmigc). Reads where the warehouse is, and the read-only login it connects with,
# from the SSM parameters pmigc publishes for the service, writes them to
# /etc/reporting/db.env, and starts the service named by the instance's `Name` tag. No secret
# value is written: the application reads its password from Secrets Manager at start.
set -euo pipefail

imds() {
  local token
  token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" \
    http://169.254.169.254/latest/api/token)
  curl -sf -H "X-aws-ec2-metadata-token: ${token}" "http://169.254.169.254/latest/meta-data/$1"
}

# The service's parameter path, e.g. /reports-prod-portal/ (an instance tag).
prefix=$(imds tags/instance/pmigc:parameters)
region=$(imds placement/region)
service=${prefix%/}
service=${service##*-}             # portal or builder

install -d -m 0750 /etc/reporting
aws ssm get-parameters-by-path --region "${region}" --path "${prefix}" --recursive \
  --query 'Parameters[].[Name,Value]' --output text |
  while read -r name value; do
    key=${name#"${prefix}"}          # warehouse/reader_endpoint
    key=${key//\//_}                 # warehouse_reader_endpoint
    printf '%s=%s\n' "${key^^}" "${value}"
  done >/etc/reporting/db.env
chmod 0640 /etc/reporting/db.env

systemctl enable --now "reporting-${service}.service"
