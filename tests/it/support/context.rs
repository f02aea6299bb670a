//! `TestContext`: a temporary `TOOLGET_HOME` and cache, a loopback fake GitHub, and helpers
//! to run the real `toolget` binary against them with a clean environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::fake_github::FakeGithub;

pub struct TestContext {
    pub github: FakeGithub,
    pub dir: tempfile::TempDir,
}

/// What a `toolget` run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams when the run did not exit 0.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(
            self.code, 0,
            "toolget failed:\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Parse every stdout line as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .collect()
    }
}

impl TestContext {
    pub fn new() -> TestContext {
        TestContext {
            github: FakeGithub::start(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    pub fn bin_dir(&self) -> PathBuf {
        self.home().join("bin")
    }

    /// The path of the `toolget` binary under test.
    pub fn toolget_bin() -> &'static str {
        env!("CARGO_BIN_EXE_toolget")
    }

    /// The installed version directories of `owner/repo` in the store, sorted (dot entries
    /// such as `.lock` left out): what `tools-v1` shows a user.
    pub fn version_dirs(&self, owner: &str, repo: &str) -> Vec<String> {
        let dir = self.home().join("tools-v1").join(owner).join(repo);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// A `toolget` command with a clean, isolated environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(Self::toolget_bin());
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("TOOLGET_HOME", self.home())
            .env("TOOLGET_CACHE_DIR", self.cache())
            .env("TOOLGET_GITHUB_API_URL", self.github.api_url())
            .env("TOOLGET_TEST_NO_RETRY_DELAY", "1")
            .current_dir(self.dir.path());
        cmd
    }

    /// Run `toolget` to completion.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run toolget"))
    }

    /// Run `toolget` with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run toolget"))
    }

    /// Run a program (e.g. an installed tool) and capture its output.
    pub fn run_program(path: &Path, args: &[&str]) -> Run {
        Run::from(Command::new(path).args(args).output().expect("run program"))
    }
}
