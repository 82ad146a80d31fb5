#!/bin/bash
# First boot of a month-end reports instance: reads the readers' endpoints and the read-only
# login from the SSM parameters pmigc publishes under the path the instance's
# `pmigc:parameters` tag names, into /etc/reports/db.env. The password stays in Secrets
# Manager: the application reads it at start.
set -euo pipefail
md=http://169.254.169.254/latest
token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "$md/api/token")
get() { curl -sf -H "X-aws-ec2-metadata-token: $token" "$md/meta-data/$1"; }
path=$(get tags/instance/pmigc:parameters)
install -d -m 0750 /etc/reports
aws ssm get-parameters-by-path --region "$(get placement/region)" --path "$path" \
  --recursive --query 'Parameters[].[Name,Value]' --output text >/etc/reports/db.env
chmod 0640 /etc/reports/db.env
systemctl enable --now month-end-reports.service
