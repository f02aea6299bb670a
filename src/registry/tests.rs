use super::*;
use crate::platform::NINE;
use crate::release::{Asset, Release};

fn entry(text: &str) -> Result<Entry, RegistryError> {
    Entry::parse(text, Origin::File(PathBuf::from("test.toml")))
}

fn ok(text: &str) -> Entry {
    entry(text).unwrap()
}

fn problem(text: &str) -> String {
    match entry(text) {
        Ok(e) => panic!("accepted: {e:?}"),
        Err(e) => e.to_string(),
    }
}

fn p(name: &str) -> Platform {
    name.parse().unwrap()
}

const BASE: &str = "name = \"tool\"\nrepo = \"acme/tool\"\ndescription = \"A tool\"\n";

#[test]
fn the_embedded_registry_loads_and_is_large_enough() {
    let registry = Registry::embedded().unwrap();
    assert!(registry.len() >= 70, "{} entries", registry.len());
    for name in [
        "sccache",
        "ripgrep",
        "jq",
        "kubectx",
        "kubens",
        "hugo",
        "gh",
        "kustomize",
    ] {
        assert!(registry.get(name).is_some(), "{name} missing");
    }
    // Every entry's file is named after it, so `registry/<name>.toml` is where to look.
    for entry in registry.entries() {
        assert_eq!(
            entry.origin,
            Origin::Embedded(Box::leak(format!("{}.toml", entry.name).into_boxed_str())),
            "{}",
            entry.name
        );
    }
}

#[test]
fn accurate_identities_for_well_known_tools() {
    let registry = Registry::embedded().unwrap();
    let check = |name: &str, repo: &str, exe: &str| {
        let e = registry.get(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            (e.repo.to_string().as_str(), e.exe()),
            (repo, exe),
            "{name}"
        );
    };
    check("sccache", "mozilla/sccache", "sccache");
    check("rg", "BurntSushi/ripgrep", "rg");
    check("jq", "jqlang/jq", "jq");
    check("gh", "cli/cli", "gh");
    check("hugo", "gohugoio/hugo", "hugo");
    check("kubens", "ahmetb/kubectx", "kubens");
    check("delta", "dandavison/delta", "delta");
    check("git-delta", "dandavison/delta", "delta");
    check("btm", "ClementTsang/bottom", "btm");
    check("nu", "nushell/nushell", "nu");
    check("hx", "helix-editor/helix", "hx");
    check("difft", "Wilfred/difftastic", "difft");
    check("nvim", "neovim/neovim", "nvim");
    check("shfmt", "mvdan/sh", "shfmt");
    check("protoc", "protocolbuffers/protobuf", "protoc");
    check("task", "go-task/task", "task");
    check("act", "nektos/act", "act");
    check("kustomize", "kubernetes-sigs/kustomize", "kustomize");
    check("cmake", "Kitware/CMake", "cmake");
    check("mdbook", "rust-lang/mdBook", "mdbook");
    assert_eq!(
        registry.get("jq").unwrap().tag.as_deref(),
        Some("jq-{version}")
    );
    assert_eq!(
        registry.get("kustomize").unwrap().tag.as_deref(),
        Some("kustomize/v{version}")
    );
}

#[test]
fn names_and_aliases_are_found_case_insensitively_and_names_win_over_aliases() {
    let registry = Registry::embedded().unwrap();
    assert_eq!(registry.get("RG").unwrap().name, "ripgrep");
    assert_eq!(registry.get("Ripgrep").unwrap().name, "ripgrep");
    assert!(registry.get("no-such-tool").is_none());
    let a = ok("name = \"a\"\naliases = [\"b\"]\nrepo = \"x/a\"\ndescription = \"d\"");
    let b = ok("name = \"b\"\nrepo = \"x/b\"\ndescription = \"d\"");
    let registry = Registry::from_layers(vec![vec![a], vec![b]]).unwrap();
    assert_eq!(registry.get("b").unwrap().repo.to_string(), "x/b");
}

#[test]
fn two_tools_of_one_repository_have_one_default() {
    let registry = Registry::embedded().unwrap();
    let repo = RepoId::new("AhmetB", "KubeCtx");
    assert_eq!(registry.for_repo(&repo).len(), 2);
    assert_eq!(registry.primary_for_repo(&repo).unwrap().name, "kubectx");
    assert_eq!(
        registry.for_repo_exe(&repo, "kubens").unwrap().name,
        "kubens"
    );
    let gateway = RepoId::new("grpc-ecosystem", "grpc-gateway");
    assert_eq!(
        registry.primary_for_repo(&gateway).unwrap().name,
        "protoc-gen-grpc-gateway"
    );
    // Two entries of one repository, neither the default: refused.
    let one =
        ok("name = \"one\"\nrepo = \"x/tools\"\ndescription = \"d\"\nexecutables = [\"one\"]");
    let two =
        ok("name = \"two\"\nrepo = \"x/tools\"\ndescription = \"d\"\nexecutables = [\"two\"]");
    let err = Registry::from_layers(vec![vec![one, two]]).unwrap_err();
    assert!(
        err.to_string().contains("exactly one must be its default"),
        "{err}"
    );
}

#[test]
fn duplicates_within_a_layer_are_refused_and_an_earlier_layer_overrides() {
    let a = ok("name = \"dup\"\nrepo = \"x/one\"\ndescription = \"d\"");
    let b = ok("name = \"other\"\naliases = [\"dup\"]\nrepo = \"x/two\"\ndescription = \"d\"");
    let err = Registry::from_layers(vec![vec![a.clone(), b]]).unwrap_err();
    assert!(
        matches!(err, RegistryError::Duplicate { ref name, .. } if name == "dup"),
        "{err}"
    );
    let replacement = ok("name = \"dup\"\nrepo = \"y/one\"\ndescription = \"mine\"");
    let registry = Registry::from_layers(vec![vec![replacement], vec![a]]).unwrap();
    assert_eq!(registry.len(), 1);
    assert_eq!(registry.get("dup").unwrap().repo.to_string(), "y/one");
}

#[test]
fn invalid_entries_say_what_is_wrong() {
    assert!(problem("name = \"Tool\"\nrepo = \"a/b\"\ndescription = \"d\"").contains("lowercase"));
    assert!(problem("name = \"t\"\nrepo = \"ab\"\ndescription = \"d\"").contains("owner/name"));
    assert!(problem("name = \"t\"\nrepo = \"a/b/c\"\ndescription = \"d\"").contains("owner/name"));
    assert!(problem("name = \"t\"\nrepo = \"a/b\"\ndescription = \" \"").contains("description"));
    assert!(problem(&format!("{BASE}executables = [\"t.exe\"]")).contains(".exe"));
    assert!(problem(&format!("{BASE}executables = [\"bin/t\"]")).contains("plain file name"));
    assert!(problem(&format!("{BASE}tag = \"v1\"")).contains("{version}"));
    assert!(problem(&format!("{BASE}matching_regex = \"(\"")).contains("matching_regex"));
    assert!(problem(&format!("{BASE}supports = [\"window-*\"]")).contains("matches no platform"));
    assert!(problem(&format!("{BASE}aliases = [\"tool\"]")).contains("twice"));
    assert!(problem(&format!("{BASE}[[versions]]\nrange = \"not a range\"")).contains("semver"));
    assert!(problem(&format!("{BASE}[platforms.\"linux-*\"]\n")).contains("sets nothing"));
    // Unknown keys are typos, not extensions.
    assert!(matches!(
        entry(&format!("{BASE}mathcing = \"x\"")),
        Err(RegistryError::Parse { .. })
    ));
}

#[test]
fn platform_tables_that_set_one_option_twice_for_a_platform_are_refused() {
    let text = format!(
        "{BASE}[platforms.\"linux-*\"]\nmatching = \"a\"\n[platforms.\"linux-x86_64-*\"]\nmatching = \"b\"\n"
    );
    assert!(problem(&text).contains("both set the same option"));
    // Different options for overlapping platforms are fine.
    let text = format!(
        "{BASE}[platforms.\"linux-*\"]\nmatching = \"a\"\n[platforms.\"linux-x86_64-*\"]\nasset_pattern = \"b*\"\n"
    );
    ok(&text);
}

#[test]
fn platform_patterns_are_globs_over_canonical_names() {
    let windows = PlatformPattern::parse("windows-*").unwrap();
    assert!(windows.matches(&p("windows-x86_64")) && windows.matches(&p("windows-aarch64")));
    assert!(!windows.matches(&p("linux-x86_64-gnu")));
    // A Linux platform without a libc is matched as glibc.
    let gnu = PlatformPattern::parse("linux-x86_64-gnu").unwrap();
    assert!(gnu.matches(&p("linux-x86_64")));
    let arm = PlatformPattern::parse("linux-armv7-*").unwrap();
    assert!(arm.matches(&p("linux-armv7-gnueabihf")));
    let several = PlatformPattern::parse("macos-aarch64, linux-aarch64-musl").unwrap();
    assert!(several.matches(&p("macos-aarch64")) && several.matches(&p("linux-aarch64-musl")));
    assert!(!several.matches(&p("linux-aarch64-gnu")));
    assert!(PlatformPattern::parse("linux-*,").is_err());
}

#[test]
fn hints_layer_entry_then_versions_then_platforms() {
    let e = ok(&format!(
        "{BASE}matching = \"base\"\nasset_pattern = \"tool-*\"\n\
         [platforms.\"windows-*\"]\nmatching = \"msvc\"\n\
         [platforms.\"macos-*\"]\nasset_pattern = \"\"\n\
         [[versions]]\nrange = \"<1.0\"\nmatching = \"old\"\ntag = \"tool-{{version}}\"\n"
    ));
    let linux = p("linux-x86_64-gnu");
    assert_eq!(
        e.hints_for(&linux, Some("1.2.0")).matching.as_deref(),
        Some("base")
    );
    assert_eq!(
        e.hints_for(&linux, Some("0.9.1")).matching.as_deref(),
        Some("old")
    );
    assert_eq!(
        e.hints_for(&linux, Some("v0.9")).matching.as_deref(),
        Some("old")
    );
    assert_eq!(e.hints_for(&linux, None).matching.as_deref(), Some("base"));
    let windows = p("windows-x86_64");
    assert_eq!(
        e.hints_for(&windows, Some("0.9.1")).matching.as_deref(),
        Some("msvc")
    );
    // An empty string clears a value set below it.
    assert_eq!(
        e.hints_for(&p("macos-aarch64"), None)
            .asset_pattern
            .as_deref(),
        Some("")
    );
    assert_eq!(e.tag_for("0.9.1").as_deref(), Some("tool-0.9.1"));
    assert_eq!(e.tag_for("1.0.0"), None);
}

#[test]
fn tag_formats_give_the_words_before_the_version() {
    let e = ok(&format!("{BASE}tag = \"kustomize/v{{version}}\""));
    assert_eq!(e.tag_prefixes(), vec!["kustomize"]);
    assert_eq!(e.tag_for("5.5.0").as_deref(), Some("kustomize/v5.5.0"));
    let e = ok(&format!("{BASE}tag = \"v{{version}}\""));
    assert!(e.tag_prefixes().is_empty());
    let e = ok(&format!("{BASE}checksum = \"{{asset}}.sha256\""));
    assert_eq!(
        e.checksum_for("tool-1.0.tar.gz", "1.0").as_deref(),
        Some("tool-1.0.tar.gz.sha256")
    );
}

#[test]
fn search_ranks_exact_names_and_aliases_first() {
    let registry = Registry::embedded().unwrap();
    let first = |q: &str| registry.search(q).first().map(|e| e.name.clone());
    assert_eq!(first("ripgrep").as_deref(), Some("ripgrep"));
    assert_eq!(first("rg").as_deref(), Some("ripgrep"));
    assert_eq!(first("uvx").as_deref(), Some("uv"));
    assert_eq!(first("BurntSushi").as_deref(), Some("ripgrep"));
    assert_eq!(first("python linter").as_deref(), Some("ruff"));
    assert_eq!(first("json").as_deref(), Some("jq"));
    let kube: Vec<String> = registry
        .search("kubernetes")
        .iter()
        .map(|e| e.name.clone())
        .collect();
    for name in ["kubectx", "kubens", "k9s", "kind", "kustomize"] {
        assert!(kube.contains(&name.to_string()), "{name} not in {kube:?}");
    }
    assert!(registry.search("zzzz-nothing").is_empty());
}

#[test]
fn close_names_are_suggested() {
    let registry = Registry::embedded().unwrap();
    assert_eq!(registry.suggest("ripgrap"), vec!["ripgrep"]);
    assert!(registry.suggest("kubctx").contains(&"kubectx".to_string()));
    assert!(registry.suggest("sccach").contains(&"sccache".to_string()));
    assert!(registry.suggest("qqqqqqqqqq").is_empty());
}

fn release(tag: &str, names: &[&str]) -> Release {
    Release {
        tag: tag.into(),
        name: None,
        draft: false,
        prerelease: false,
        published_at: None,
        assets: names.iter().map(|n| Asset::named(*n)).collect(),
    }
}

const SCCACHE_LIKE: [&str; 5] = [
    "tool-v1.0.0-x86_64-unknown-linux-musl.tar.gz",
    "tool-v1.0.0-aarch64-unknown-linux-musl.tar.gz",
    "tool-v1.0.0-x86_64-apple-darwin.tar.gz",
    "tool-v1.0.0-aarch64-apple-darwin.tar.gz",
    "tool-v1.0.0-x86_64-pc-windows-msvc.zip",
];

fn findings(e: &Entry, r: &Release) -> Vec<(String, FindingKind)> {
    check_release(e, r, &NINE)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.finding.map(|f| (c.platform.to_string(), f.kind)))
        .collect()
}

#[test]
fn check_reports_a_platform_the_entry_excludes_but_the_release_serves() {
    let e = ok(&format!(
        "{BASE}supports = [\"linux-x86_64-*\", \"macos-*\", \"windows-x86_64\"]"
    ));
    let found = findings(&e, &release("v1.0.0", &SCCACHE_LIKE));
    assert_eq!(
        found,
        vec![
            ("linux-aarch64-gnu".to_string(), FindingKind::Excluded),
            ("linux-aarch64-musl".to_string(), FindingKind::Excluded),
        ]
    );
}

#[test]
fn check_reports_a_claimed_platform_no_asset_serves() {
    let e = ok(&format!(
        "{BASE}supports = [\"linux-*\", \"macos-*\", \"windows-*\"]"
    ));
    let found = findings(&e, &release("v1.0.0", &SCCACHE_LIKE));
    // armv7: nothing at all; windows-aarch64: only the x64 build under emulation.
    assert_eq!(
        found,
        vec![
            ("linux-armv7-gnueabihf".to_string(), FindingKind::Unserved),
            ("windows-aarch64".to_string(), FindingKind::Unserved),
        ]
    );
}

#[test]
fn check_reports_hints_that_miss_what_the_engine_finds_and_ties() {
    // A filter that no aarch64 asset passes.
    let e = ok(&format!("{BASE}matching = \"x86_64\""));
    let found = findings(&e, &release("v1.0.0", &SCCACHE_LIKE));
    assert!(
        found.contains(&("linux-aarch64-gnu".to_string(), FindingKind::Missed)),
        "{found:?}"
    );
    assert!(
        found.contains(&("macos-aarch64".to_string(), FindingKind::Missed)),
        "{found:?}"
    );
    // An entry with no claims and no hints is clean on a release it fits.
    let clean = ok(BASE);
    assert!(findings(&clean, &release("v1.0.0", &SCCACHE_LIKE)).is_empty());
    // Two builds only a hint could separate.
    let tied = release(
        "v1.0.0",
        &["tool-linux-amd64.tar.gz", "tool-linux-x86_64.tar.gz"],
    );
    let checks = check_release(&clean, &tied, &[p("linux-x86_64-gnu")]).unwrap();
    assert_eq!(
        checks[0].finding.as_ref().map(|f| f.kind),
        Some(FindingKind::Ambiguous),
        "{checks:?}"
    );
}

#[test]
fn a_platform_table_is_trusted_over_the_bare_engine() {
    // fnm-style: the only Linux-named build is x86_64; the table says aarch64 gets nothing.
    let e = ok(&format!(
        "{BASE}[platforms.\"linux-aarch64-*\"]\nasset_pattern = \"tool-arm64.zip\"\n"
    ));
    let r = release(
        "v1.0.0",
        &["tool-linux.zip", "tool-arm64.zip", "tool-macos.zip"],
    );
    let found = findings(&e, &r);
    assert!(
        !found.iter().any(|(p, _)| p.starts_with("linux-aarch64")),
        "{found:?}"
    );
}
