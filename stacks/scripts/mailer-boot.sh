#!/bin/bash
# First boot of a shop mailer instance (EC2 user data, sent unchanged by pmigc; Graviton, arm64).
# Reads where the shop's database is from the SSM parameters pmigc publishes for the service,
# writes them to /etc/shop/mailer.env and starts the mailer. No secret value is written: the
# mailer reads its password from Secrets Manager at start.
set -euo pipefail

imds() {
  local token
  token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" \
    http://169.254.169.254/latest/api/token)
  curl -sf -H "X-aws-ec2-metadata-token: ${token}" "http://169.254.169.254/latest/meta-data/$1"
}

prefix=$(imds tags/instance/pmigc:parameters) # e.g. /shop-prod-mailer/
region=$(imds placement/region)

install -d -m 0750 /etc/shop
aws ssm get-parameters-by-path --region "${region}" --path "${prefix}" --recursive \
  --query 'Parameters[].[Name,Value]' --output text |
  while read -r name value; do
    key=${name#"${prefix}"}          # shopdb/writer_endpoint
    key=${key//\//_}                 # shopdb_writer_endpoint
    printf '%s=%s\n' "${key^^}" "${value}"
  done >/etc/shop/mailer.env
chmod 0640 /etc/shop/mailer.env

systemctl enable --now shop-mailer.service
