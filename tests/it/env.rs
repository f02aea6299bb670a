//! `toolget env`: the shell line a user evaluates, and `--github`'s line in `$GITHUB_PATH`.
//! The printed lines are run by a real `sh` to prove the quoting, not just compared as text.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::TestContext;

/// Run `line` in `sh` with `PATH=/usr/bin:/bin`, `evals` times, and return the resulting PATH.
fn path_after_eval(line: &str, evals: usize) -> String {
    let script = format!("{}printf '%s' \"$PATH\"", format!("{line}\n").repeat(evals));
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn env_prints_one_export_line_for_the_bin_dir() {
    let ctx = TestContext::new();
    let run = ctx.run(&["env"]).success();
    let bin = ctx.bin_dir();
    let bin = bin.to_str().unwrap();
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("export PATH="), "{}", run.stdout);
    assert!(run.stdout.contains(bin), "{}", run.stdout);
    assert_eq!(run.stderr, "", "nothing but the line is printed");
    assert_eq!(
        path_after_eval(&run.stdout, 1),
        format!("{bin}:/usr/bin:/bin")
    );
    // Printing the line creates nothing: a fresh machine stays untouched.
    assert!(!ctx.bin_dir().exists());
}

#[test]
fn evaluating_the_line_twice_adds_the_bin_dir_once() {
    let ctx = TestContext::new();
    let run = ctx.run(&["env"]).success();
    let bin = ctx.bin_dir();
    assert_eq!(
        path_after_eval(&run.stdout, 2),
        format!("{}:/usr/bin:/bin", bin.to_str().unwrap())
    );
}

#[test]
fn a_home_with_spaces_quotes_and_dollars_survives_the_shell() {
    let ctx = TestContext::new();
    for name in ["it's a home", "$HOME `x` \"q\" \\ !"] {
        let home = ctx.dir.path().join(name);
        let run = ctx
            .run_env(&["env"], &[("TOOLGET_HOME", home.to_str().unwrap())])
            .success();
        let expected = format!("{}:/usr/bin:/bin", home.join("bin").to_str().unwrap());
        assert_eq!(path_after_eval(&run.stdout, 1), expected, "{}", run.stdout);
    }
}

#[test]
fn a_relative_home_is_printed_as_an_absolute_path() {
    let ctx = TestContext::new();
    let run = ctx
        .run_env(&["env"], &[("TOOLGET_HOME", "rel home")])
        .success();
    // The test runs toolget with the temp dir as its working directory.
    let expected = ctx.dir.path().join("rel home").join("bin");
    assert_eq!(
        path_after_eval(&run.stdout, 1),
        format!("{}:/usr/bin:/bin", expected.to_str().unwrap())
    );
}

#[test]
fn fish_output_sets_path_unless_present() {
    let ctx = TestContext::new();
    let home = ctx.dir.path().join("it's");
    let run = ctx
        .run_env(
            &["env", "--shell", "fish"],
            &[("TOOLGET_HOME", home.to_str().unwrap())],
        )
        .success();
    let q = format!(
        "'{}'",
        home.join("bin").to_str().unwrap().replace('\'', "\\'")
    );
    assert_eq!(
        run.stdout,
        format!("contains -- {q} $PATH; or set -gx PATH {q} $PATH\n")
    );
}

#[test]
fn powershell_and_nu_name_the_bin_dir() {
    let ctx = TestContext::new();
    let bin = ctx.bin_dir();
    let bin = bin.to_str().unwrap();
    let run = ctx.run(&["env", "--shell", "powershell"]).success();
    assert!(
        run.stdout.contains(&format!("$env:PATH = '{bin}'")),
        "{}",
        run.stdout
    );
    let run = ctx.run(&["env", "--shell", "nu"]).success();
    assert!(
        run.stdout.contains(&format!("prepend \"{bin}\"")),
        "{}",
        run.stdout
    );
}

fn github_files(ctx: &TestContext) -> (std::path::PathBuf, std::path::PathBuf) {
    let path_file = ctx.dir.path().join("github_path");
    let env_file = ctx.dir.path().join("github_env");
    fs::write(&env_file, "").unwrap();
    (path_file, env_file)
}

fn run_github(ctx: &TestContext, path_file: &Path, env_file: &Path) -> crate::support::Run {
    ctx.run_env(
        &["env", "--github"],
        &[
            ("GITHUB_PATH", path_file.to_str().unwrap()),
            ("GITHUB_ENV", env_file.to_str().unwrap()),
        ],
    )
}

#[test]
fn github_appends_one_plain_line_and_leaves_github_env_alone() {
    let ctx = TestContext::new();
    let (path_file, env_file) = github_files(&ctx);
    fs::write(&path_file, "/opt/earlier/bin\n").unwrap();
    let run = run_github(&ctx, &path_file, &env_file).success();
    let bin = ctx.bin_dir();
    let bin = bin.to_str().unwrap();
    assert_eq!(
        fs::read_to_string(&path_file).unwrap(),
        format!("/opt/earlier/bin\n{bin}\n")
    );
    assert_eq!(fs::read_to_string(&env_file).unwrap(), "");
    assert_eq!(run.stdout, "", "--github prints no shell line");
    assert!(run.stderr.contains(bin), "{}", run.stderr);
    // The PATH entry names a directory that exists, even before any install.
    assert!(ctx.bin_dir().is_dir());
}

#[test]
fn github_creates_a_missing_file_and_does_not_repeat_its_line() {
    let ctx = TestContext::new();
    let (path_file, env_file) = github_files(&ctx);
    run_github(&ctx, &path_file, &env_file).success();
    run_github(&ctx, &path_file, &env_file).success();
    assert_eq!(
        fs::read_to_string(&path_file).unwrap(),
        format!("{}\n", ctx.bin_dir().to_str().unwrap())
    );
    assert_eq!(fs::read_to_string(&env_file).unwrap(), "");
}

#[test]
fn github_quiet_prints_nothing() {
    let ctx = TestContext::new();
    let (path_file, _) = github_files(&ctx);
    let run = ctx
        .run_env(
            &["env", "--github", "--quiet"],
            &[("GITHUB_PATH", path_file.to_str().unwrap())],
        )
        .success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(path_file.is_file());
}

#[test]
fn github_without_github_path_fails_with_a_hint() {
    let ctx = TestContext::new();
    let run = ctx.run(&["env", "--github"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("GITHUB_PATH is not set"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(!ctx.bin_dir().exists());
}

#[test]
fn a_home_with_a_colon_cannot_be_a_path_entry() {
    let ctx = TestContext::new();
    let home = ctx.dir.path().join("a:b");
    let run = ctx.run_env(&["env"], &[("TOOLGET_HOME", home.to_str().unwrap())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("PATH separator"), "{}", run.stderr);
}
