#!/bin/bash
# Sent to the instance exactly as written: Terraform never reads ${HOME} or %{if} here.
set -eu
echo "booted as ${USER:-root} in ${HOME}" >/var/log/web-boot.log
printf '%s\n' "%{if x}not a directive%{endif}" >>/var/log/web-boot.log
