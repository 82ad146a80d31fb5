//! Lowering: the checked model to a Terraform JSON tree (placeholder, being written).
