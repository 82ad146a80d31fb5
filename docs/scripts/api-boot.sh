#!/bin/bash
# The boot script of the examples in docs/diagnostics.md (tests/it/catalogue.rs reads it).
set -euo pipefail
dnf install -y api
systemctl enable --now api.service
