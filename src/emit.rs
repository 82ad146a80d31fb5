//! Emit: Terraform JSON tree to bytes (placeholder, being written).
