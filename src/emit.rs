//! Emit: Terraform JSON tree to bytes (placeholder, being written).
// TEMPORARY STUB so the crate compiles while src/emit.rs is being written; replace wholesale.
pub fn render(_root: &crate::lower::Root) -> String {
    String::new()
}
pub fn render_sources(_root: &crate::lower::Root, _source: &str) -> String {
    String::new()
}
