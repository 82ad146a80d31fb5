#!/bin/bash
# First boot of a shop mailer instance (EC2 user data, sent unchanged by pmigc; Graviton, so
# arm64 Amazon Linux 2023). The mailer needs a few facts about the shop's database, which pmigc
# publishes as SSM parameters under the path in the instance tag `pmigc:parameters`: the writer
# endpoint where it writes (production), the reader endpoint where it only reads (staging). It
# reads the password itself from Secrets Manager at start: no secret is written to disk here.
set -euo pipefail

metadata=http://169.254.169.254/latest
token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "${metadata}/api/token")
tag() { curl -sf -H "X-aws-ec2-metadata-token: ${token}" "${metadata}/meta-data/$1"; }
path=$(tag tags/instance/pmigc:parameters)   # /shop-prod-mailer/
export AWS_DEFAULT_REGION=$(tag placement/region)

param() { aws ssm get-parameter --name "${path}shopdb/$1" --query Parameter.Value --output text; }
{
  echo "DB_HOST=$(param writer_endpoint 2>/dev/null || param reader_endpoint)"
  echo "DB_USER=$(param username)"
  echo "DB_PORT=$(param port)"
  echo "DB_SECRET_ARN=$(param secret_arn)"
  echo "DB_SECRET_KEY=$(param secret_key)"
} >/etc/shop-mailer.env
chmod 0640 /etc/shop-mailer.env

systemctl enable --now shop-mailer.service
