#!/bin/bash
# First boot of a marketplace API instance (EC2 user data, sent unchanged by pmigc).
# Reads where its databases are from the SSM parameters pmigc publishes for the service,
# writes them to /etc/marketplace/api.env, and starts the API. No secret value is written:
# the application reads its password from Secrets Manager at start.
set -euo pipefail

imds() {
  local token
  token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" \
    http://169.254.169.254/latest/api/token)
  curl -sf -H "X-aws-ec2-metadata-token: ${token}" "http://169.254.169.254/latest/meta-data/$1"
}

# The service's parameter path, e.g. /market-prod-api/ (an instance tag).
prefix=$(imds tags/instance/pmigc:parameters)
region=$(imds placement/region)

install -d -m 0750 /etc/marketplace
aws ssm get-parameters-by-path --region "${region}" --path "${prefix}" --recursive \
  --query 'Parameters[].[Name,Value]' --output text |
  while read -r name value; do
    key=${name#"${prefix}"}          # orders/writer_endpoint
    key=${key//\//_}                 # orders_writer_endpoint
    printf '%s=%s\n' "${key^^}" "${value}"
  done >/etc/marketplace/api.env
chmod 0640 /etc/marketplace/api.env

systemctl enable --now marketplace-api.service
