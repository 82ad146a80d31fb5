//! Generated stacks of any size are valid: `pmigc check` is clean and every workspace lowers,
//! with the resource count growing linearly with the number of services.

#[test]
fn generated_stacks_check_cleanly_at_several_sizes() {
    let mut per_service = None;
    for services in [0usize, 1, 7, 50] {
        let text = crate::synth::stack(services);
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
            .map(|s| pmigc::root_of(s, &[]).unwrap().resource_count())
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

/// CloudWatch takes at most 500 widgets on one dashboard: a stack with more services gets
/// further pages, and the first page keeps its address and AWS name.
#[test]
fn a_dashboard_past_500_widgets_continues_on_further_pages() {
    let text = crate::synth::stack(1200);
    let checked = pmigc::check_source(&text);
    let Some(stack) = checked.stacks.first() else {
        panic!("no workspace: {:?}", checked.diagnostics);
    };
    let root = pmigc::root_of(stack, &[]).unwrap().value();
    let dashboards = &root["resource"]["aws_cloudwatch_dashboard"];
    let pages = dashboards.as_object().map(|d| d.len()).unwrap_or_default();
    let mut widgets = 0;
    for page in 1..=pages {
        let (address, name) = match page {
            1 => (
                "migration".to_string(),
                "${local.name}-migration".to_string(),
            ),
            n => (
                format!("migration_{n}"),
                format!("${{local.name}}-migration-{n}"),
            ),
        };
        let dashboard = &dashboards[&address];
        assert_eq!(dashboard["dashboard_name"], name.as_str());
        let body: serde_json::Value =
            serde_json::from_str(dashboard["dashboard_body"].as_str().unwrap_or_default())
                .unwrap_or_default();
        let on_page = body["widgets"].as_array().map(Vec::len).unwrap_or_default();
        assert!((1..=500).contains(&on_page), "{address}: {on_page} widgets");
        assert_eq!(body["widgets"][0]["y"], 0, "{address} starts at the top");
        widgets += on_page;
    }
    assert!(
        widgets > 1200,
        "one widget per service at least, got {widgets}"
    );
    assert_eq!(pages, widgets.div_ceil(500));
}
