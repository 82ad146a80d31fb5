//! Which host names only a private DNS server can answer, and how a VPC asks one.

/// Top-level domains used privately, which the public DNS never answers: `local` (multicast
/// DNS, RFC 6762), `home.arpa` (RFC 8375), and those RFC 6762 Appendix G lists as in private
/// use (`intranet`, `internal`, `private`, `corp`, `home`, `lan`); ICANN reserved `internal`
/// for private use in 2024.
pub(crate) const PRIVATE_SUFFIXES: &[&str] = &[
    "local",
    "home.arpa",
    "intranet",
    "internal",
    "private",
    "corp",
    "home",
    "lan",
];

/// Whether `name` is `domain` or a name under it (label by label, case-insensitively).
pub(crate) fn under(name: &str, domain: &str) -> bool {
    let (name, domain) = (
        name.trim_end_matches('.').to_ascii_lowercase(),
        domain.trim_end_matches('.').to_ascii_lowercase(),
    );
    !domain.is_empty() && (name == domain || name.ends_with(&format!(".{domain}")))
}

/// The data-centre domain or private suffix `name` is under (the longest declared domain
/// first): only the data centre's DNS servers can answer it. `None` for a name that may be
/// public.
pub(crate) fn private_zone(name: &str, domains: &[String]) -> Option<String> {
    domains
        .iter()
        .filter(|d| under(name, d))
        .max_by_key(|d| d.len())
        .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
        .or_else(|| {
            PRIVATE_SUFFIXES
                .iter()
                .find(|s| under(name, s))
                .map(|s| s.to_string())
        })
}

/// A Route 53 Resolver outbound endpoint needs at least two IP addresses, in two subnets for
/// availability ("Forwarding outbound DNS queries to your network", Route 53 Developer Guide),
/// and reaches the DNS servers on port 53, TCP and UDP.
pub(crate) const RESOLVER_MIN_ADDRESSES: usize = 2;
pub(crate) const DNS_PORT: u16 = 53;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_names() {
        let declared = vec!["dc.example.com".to_string()];
        assert_eq!(
            private_zone("db1.shop.internal", &[]),
            Some("internal".into())
        );
        assert_eq!(
            private_zone("db.dc.example.com", &declared),
            Some("dc.example.com".into())
        );
        assert_eq!(private_zone("db.corp.example.com", &declared), None);
        assert_eq!(private_zone("nas.home.arpa", &[]), Some("home.arpa".into()));
        assert!(!under("xinternal", "internal"));
    }
}
