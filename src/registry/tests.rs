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
fn a_platform_table_is_trusted_when_it_picks_a_build_and_missed_when_it_picks_nothing() {
    // fnm-style: the ARM build names no OS.
    let r = release(
        "v1.0.0",
        &["tool-linux.zip", "tool-arm64.zip", "tool-macos.zip"],
    );
    let vouched = ok(&format!(
        "{BASE}[platforms.\"linux-aarch64-*\"]\nasset = \"tool-arm64.zip\"\n"
    ));
    let found = findings(&vouched, &r);
    assert!(
        !found.iter().any(|(p, _)| p.starts_with("linux-aarch64")),
        "{found:?}"
    );
    // A table that picks nothing where the engine finds a native build is a miss.
    let nothing = ok(&format!(
        "{BASE}[platforms.\"linux-aarch64-*\"]\nasset_pattern = \"tool-aarch64.zip\"\n"
    ));
    let found = findings(&nothing, &r);
    assert!(
        found.contains(&("linux-aarch64-musl".to_string(), FindingKind::Missed)),
        "{found:?}"
    );
}

// ---- issue 15: each finding, on real asset names (sources in tests/fixtures/registry/) ----

/// The embedded entry called `name`.
fn embedded(name: &str) -> Entry {
    Registry::embedded().unwrap().get(name).unwrap().clone()
}

fn release_findings(e: &Entry, r: &Release, claims: bool) -> Vec<String> {
    check_release_with(e, r, &NINE, claims)
        .unwrap()
        .findings()
        .map(ToString::to_string)
        .collect()
}

/// pnpm v11 (aqua-registry pkgs/pnpm/pnpm/registry.yaml, the `<= 11.0.6` template).
const PNPM_11: [&str; 7] = [
    "pnpm-darwin-arm64.tar.gz",
    "pnpm-linux-arm64-musl.tar.gz",
    "pnpm-linux-arm64.tar.gz",
    "pnpm-linux-x64-musl.tar.gz",
    "pnpm-linux-x64.tar.gz",
    "pnpm-win32-arm64.zip",
    "pnpm-win32-x64.zip",
];

#[test]
fn check_reports_a_release_without_assets_as_0_of_n() {
    // tokei's newest releases publish no assets (aqua-registry pkgs/XAMPPRocky/tokei: v14.0.0
    // is installed from crates.io).
    let check =
        check_release_with(&embedded("tokei"), &release("v14.0.0", &[]), &NINE, true).unwrap();
    let finding = check.finding.as_ref().expect("an empty finding");
    assert_eq!(finding.kind, FindingKind::Empty);
    assert!(finding.message.contains("0 of 9"), "{finding}");
}

#[test]
fn check_catches_the_old_pnpm_musl_table_on_v11_and_the_range_fixes_it() {
    // The entry as it was: `linuxstatic` for musl, no version range.
    let old = ok(
        "name = \"pnpm\"\nrepo = \"pnpm/pnpm\"\ndescription = \"d\"\n\
         [platforms.\"linux-*-musl\"]\nmatching = \"linuxstatic\"\n\
         [platforms.\"linux-*-gnu*\"]\nasset_pattern = \"pnpm-linux-*\"\n",
    );
    let found = release_findings(&old, &release("v11.0.6", &PNPM_11), false);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("missed") && f.contains("linux-x86_64-musl")),
        "{found:?}"
    );
    let new = embedded("pnpm");
    assert_eq!(
        release_findings(&new, &release("v11.0.6", &PNPM_11), false),
        Vec::<String>::new()
    );
    assert_eq!(new.extract_all_for(Some("11.0.6")), Some(true));
    assert_eq!(new.extract_all_for(Some("10.28.0")), None);
    // v10 still takes the linuxstatic builds on musl.
    let hints = new.hints_for(&p("linux-x86_64-musl"), Some("9.15.0"));
    assert_eq!(hints.matching.as_deref(), Some("linuxstatic"));
    let hints = new.hints_for(&p("linux-x86_64-musl"), Some("11.0.6"));
    assert_eq!(hints.matching.as_deref(), Some(""));
}

#[test]
fn a_stale_supports_claim_is_reported_both_ways() {
    // hugo since v0.153.0: macOS only as a .pkg (aqua-registry pkgs/gohugoio/hugo).
    let hugo_153 = release(
        "v0.153.0",
        &[
            "hugo_0.153.0_checksums.txt",
            "hugo_0.153.0_darwin-universal.pkg",
            "hugo_0.153.0_linux-amd64.tar.gz",
            "hugo_0.153.0_linux-arm64.tar.gz",
            "hugo_0.153.0_windows-amd64.zip",
        ],
    );
    let claims_macos = ok(
        "name = \"hugo\"\nrepo = \"gohugoio/hugo\"\ndescription = \"d\"\n\
         supports = [\"linux-x86_64-*\", \"linux-aarch64-*\", \"macos-*\"]\n",
    );
    let found = release_findings(&claims_macos, &hugo_153, true);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("unserved") && f.contains("macos-aarch64")),
        "{found:?}"
    );
    // The same claim on an older release is not judged (supports describes the newest).
    assert!(
        !release_findings(&claims_macos, &hugo_153, false)
            .iter()
            .any(|f| f.starts_with("unserved"))
    );
    let claim = embedded("hugo").supports(&p("macos-aarch64"));
    assert_eq!(claim, Some(false));
}

#[test]
fn a_vouched_asset_is_taken_whatever_its_name_says_and_only_when_it_is_unique() {
    // fnm v1.38.1 (tests/fixtures/registry/fnm.toml): the ARM builds name no OS.
    let fnm = release(
        "v1.38.1",
        &[
            "fnm-arm32.zip",
            "fnm-arm64.zip",
            "fnm-linux.zip",
            "fnm-macos.zip",
            "fnm-windows.zip",
        ],
    );
    let e = embedded("fnm");
    let checks = check_release_with(&e, &fnm, &NINE, false).unwrap();
    let on = |name: &str| {
        checks
            .platforms
            .iter()
            .find(|c| c.platform == p(name))
            .unwrap()
            .clone()
    };
    assert_eq!(
        on("linux-aarch64-musl").asset.as_deref(),
        Some("fnm-arm64.zip")
    );
    assert_eq!(on("linux-aarch64-musl").emulation, None);
    assert_eq!(
        on("linux-armv7-gnueabihf").asset.as_deref(),
        Some("fnm-arm32.zip")
    );
    // A vouched name matching nothing leaves the usual rules in charge: never a block.
    let hints = Hints {
        asset: Some("nothing-like-it.zip".into()),
        ..Hints::default()
    };
    let criteria = hints.criteria("fnm", "fnm", None).unwrap();
    let picked = crate::resolver::select(&fnm.assets, &p("linux-x86_64-gnu"), &criteria).unwrap();
    assert_eq!(fnm.assets[picked.index].name, "fnm-linux.zip");
}

#[test]
fn version_ranges_change_tags_checksums_and_platform_hints() {
    let watchexec = embedded("watchexec");
    assert_eq!(watchexec.tag_for("1.20.5").as_deref(), Some("cli-v1.20.5"));
    assert_eq!(watchexec.tag_for("2.2.1").as_deref(), Some("v2.2.1"));
    let taplo = embedded("taplo");
    assert_eq!(
        taplo.tag_for("0.7.2").as_deref(),
        Some("release-taplo-cli-0.7.2")
    );
    assert_eq!(taplo.tag_for("0.9.3").as_deref(), Some("0.9.3"));
    let lf = embedded("lf");
    assert_eq!(lf.tag_for("33").as_deref(), Some("r33"));
    // chezmoi before 2.0.4 had no linux-glibc archive: the range clears the hint.
    let chezmoi = embedded("chezmoi");
    let gnu = p("linux-x86_64-gnu");
    assert_eq!(
        chezmoi.hints_for(&gnu, Some("2.56.0")).matching.as_deref(),
        Some("linux-glibc")
    );
    assert_eq!(
        chezmoi.hints_for(&gnu, Some("2.0.3")).matching.as_deref(),
        Some("")
    );
    let cmake = embedded("cmake");
    assert_eq!(
        cmake
            .checksum_for("cmake-3.31.3-linux-x86_64.tar.gz", "3.31.3")
            .as_deref(),
        Some("cmake-3.31.3-SHA-256.txt")
    );
    // aqua-registry pkgs/dprint/dprint and pkgs/neovim/neovim name these checksum files.
    assert_eq!(
        embedded("dprint")
            .checksum_for("dprint-x86_64-unknown-linux-gnu.zip", "0.50.0")
            .as_deref(),
        Some("SHASUMS256.txt")
    );
    let neovim = embedded("neovim");
    assert_eq!(
        neovim
            .checksum_for("nvim-linux-x86_64.tar.gz", "0.11.2")
            .as_deref(),
        Some("shasum.txt")
    );
    assert_eq!(
        neovim.checksum_for("nvim-linux-x86_64.tar.gz", "0.11.4"),
        None
    );
    let ranged = ok(&format!(
        "{BASE}checksum = \"sums.txt\"\n[[versions]]\nrange = \"<2\"\nchecksum = \"{{asset}}.sha256\"\n"
    ));
    assert_eq!(
        ranged.checksum_for("a.zip", "1.0.0").as_deref(),
        Some("a.zip.sha256")
    );
    assert_eq!(
        ranged.checksum_for("a.zip", "2.0.0").as_deref(),
        Some("sums.txt")
    );
}

#[test]
fn tag_patterns_name_the_tools_own_releases() {
    let nextest = embedded("cargo-nextest");
    assert!(nextest.tag_accepts("cargo-nextest-0.9.85"));
    assert!(!nextest.tag_accepts("nextest-runner-0.70.0"));
    let taplo = embedded("taplo");
    assert!(taplo.tag_accepts("0.9.3") && taplo.tag_accepts("release-taplo-cli-0.7.2"));
    assert!(!taplo.tag_accepts("release-even-better-toml-0.19.2"));
    let kustomize = embedded("kustomize");
    assert!(kustomize.tag_accepts("kustomize/v5.5.0"));
    assert!(!kustomize.tag_accepts("api/v0.18.0"));
    assert!(
        embedded("jq").tag_accepts("anything"),
        "no pattern: every tag"
    );
    assert!(problem(&format!("{BASE}tag_pattern = []\n")).contains("tag_pattern is empty"));
}

#[test]
fn releases_to_check_take_the_newest_and_one_per_version_range() {
    let e = ok(&format!(
        "{BASE}tag_pattern = [\"v*\", \"cli-v*\"]\n[[versions]]\nrange = \"<1.21\"\ntag = \"cli-v{{version}}\"\n"
    ));
    let x = ["tool-x86_64-unknown-linux-musl.tar.gz"];
    let releases = [
        release("v2.1.0", &x),
        release("lib-v4.0.0", &x),
        release("v2.0.0", &[]),
        release("v1.21.0", &x),
        release("cli-v1.20.5", &x),
        release("cli-v1.20.4", &x),
    ];
    let tags: Vec<&str> = releases_to_check(&e, &releases, 2)
        .iter()
        .map(|r| r.tag.as_str())
        .collect();
    assert_eq!(tags, ["v2.1.0", "v1.21.0", "cli-v1.20.5"]);
}

#[test]
fn an_extra_asset_must_resolve_where_the_entrys_own_does() {
    // pueue v3.4.1 (tests/fixtures/releases/Nukesor__pueue__v3.4.1.toml).
    let both = release(
        "v3.4.1",
        &[
            "pueue-linux-x86_64",
            "pueue-macos-aarch64",
            "pueued-linux-x86_64",
            "pueued-macos-aarch64",
        ],
    );
    let e = embedded("pueue");
    assert_eq!(e.extra_assets[0].executables, ["pueued"]);
    assert!(release_findings(&e, &both, false).is_empty());
    let no_daemon = release("v3.4.1", &["pueue-linux-x86_64", "pueue-macos-aarch64"]);
    let found = release_findings(&e, &no_daemon, false);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("missed") && f.contains("pueued")),
        "{found:?}"
    );
    assert!(
        problem(&format!(
            "{BASE}executables = [\"tool\"]\n[[extra_assets]]\nexecutables = [\"tool\"]\n"
        ))
        .contains("also in `executables`")
    );
}
