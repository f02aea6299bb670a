--- mise backend plugin for toolget: `mise use toolget:sccache`, `toolget:mozilla/sccache[exe=sccache]`.
--- The hooks only run `toolget … --json` and map the result; matching, verification and
--- installing happen in toolget. See docs/mise.md in the toolget repository.
PLUGIN = {
  name = "toolget",
  version = "0.1.0",
  description = "Install command-line tools from GitHub releases with toolget (verified, one store)",
  author = "toolget contributors",
  license = "MIT OR Apache-2.0",
  minRuntimeVersion = "0.3.0",
}
