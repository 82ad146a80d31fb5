//! Generated stacks of any size are valid: `pmigc check` is clean and every workspace lowers,
//! with the resource count growing linearly with the number of services.

#[test]
fn generated_stacks_check_cleanly_at_several_sizes() {
    let mut per_service = None;
    for services in [0usize, 1, 7, 50] {
        let text = pmigc::synth::stack(services);
        let checked = pmigc::check_source(&text);
        let problems: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(problems.is_empty(), "N={services}: {problems:?}");
        assert_eq!(checked.stacks.len(), 2);
        let resources: usize = checked
            .stacks
            .iter()
            .map(|s| pmigc::lower::lower(s).resource_count())
            .sum();
        if services == 0 {
            per_service = Some(resources);
        } else if let Some(base) = per_service {
            let added = (resources - base) / services;
            assert_eq!((resources - base) % services, 0, "N={services}: not linear");
            assert!(
                (6..=20).contains(&(added / 2)),
                "N={services}: {added} resources per service in two roots"
            );
        }
    }
}
