//! The `toolget` command line. All printing, progress drawing and exit codes live in `cli`;
//! the library does the work.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
