//! Go project discovery and configuration for `racelens check`: modules (go.mod, go.work),
//! package patterns, build constraints, generated files, language versions, racelens.toml.
//!
//! Everything is read from source with no Go toolchain; only [`discover()`], [`find_config`],
//! [`load_config`] and the package [`Loader`] touch the disk, and their results are sorted
//! and deterministic. The loader ([`load`]) finds imported packages for the type checker
//! (GOROOT, the module, go.work, vendor, the module cache, GOPATH, the embedded models); it
//! runs `go env GOROOT` once when `go` exists, and documents its resolution rules.
//!
//! # The rules, as implemented
//!
//! **Arguments** (default `./...`), relative to the working directory:
//! - containing `...`: a pattern. The directory before the first wildcard is walked;
//!   `...` matches any string and `x/...` also matches `x` (go's matchPattern). `...` alone
//!   is `./...`. Absolute patterns work.
//! - a directory: the package in that directory only (no skip rules, no .gitignore;
//!   exclude globs still apply to its files).
//! - a `.go` file: always analysed, even when constraints, the test or generated rule, a
//!   `testdata` parent or an exclude glob would leave it out ([`SourceFile::forced`]).
//!   Files are grouped into their directory's package.
//! - an import path of the working directory's module or of a go.work module
//!   (`example.com/m/sub/...`) when no such path exists on disk.
//!
//! **Walks** skip, below the walk root: directories starting with `.` or `_`, `testdata`,
//! `vendor`, anything matched by `.gitignore` files (in the tree and its parents; not git's
//! global or info/exclude), exclude globs, and directories holding their own go.mod
//! (nested modules). Symlinked directories are not followed; symlinked files are read.
//! Files starting with `.` or `_` are never Go files (go/build).
//!
//! **Modules**: a directory belongs to the nearest go.mod upward. With a go.work found
//! upward from the working directory, walks visit exactly the `use`d modules under the
//! root, nested or not, and skip every other module. Without go.work, a walk that starts
//! outside any module visits every module below as its own (the go command would refuse;
//! a linter is more useful this way). Import paths are module path + relative directory
//! (GOROOT's `std` module has no prefix); outside any module, the directory relative to
//! the working directory (`.` for itself).
//!
//! **Build constraints** follow go/build for the [`Target`] (default linux/amd64, cgo off,
//! release tags go1.1 to go1.26, `gc`, `unix`, `amd64.v1`, the register-ABI experiments,
//! custom tags): a `//go:build` line anywhere in the header (blank lines, `//` and `/* */`
//! comments before the package clause, outside block comments) controls; a second one is
//! an error. Without it, `// +build` lines count when they sit above the last blank line
//! before the first non-`//` line, and are ANDed. File names `_GOOS`, `_GOARCH`,
//! `_GOOS_GOARCH` (optionally followed by `_test`) constrain when they name a known value.
//! Files importing "C" are left out unless cgo is on. A malformed `//go:build` line is a
//! problem and the file is skipped.
//!
//! **Generated files**: a line `// Code generated <anything> DO NOT EDIT.` before the
//! package clause; skipped unless `include_generated`.
//!
//! **Language version of a file**: the module's `go` directive (go1.16 when the directive
//! is missing, as the go command assumes); outside any module, the `go` option, else
//! [`LATEST_GO`]. When the file's `//go:build` expression implies a minimum version go1.N
//! (`go1.22 && linux` implies 1.22, `go1.21 || go1.22` implies 1.21, a negated or ORed-with-
//! non-version term implies none), the file gets max(go1.N, go1.21), upgrading or
//! downgrading, as go/types does since Go 1.21 ([`discover::file_version`]). `// +build`
//! lines never set a version.

pub mod config;
pub mod constraint;
pub mod discover;
pub mod load;
pub mod modfile;
pub mod overlay;
pub mod prescan;
pub mod run;
pub mod summaries;
pub mod suppression;
pub mod version;

pub use config::{find_config, load_config, parse_config, Config, ConfigError, Located};
pub use constraint::Target;
pub use discover::{
    discover, DiscoverOptions, Module, Package, Problem, ProblemKind, SkipReason, SkippedFile,
    SourceFile, WorkFile, Workspace,
};
pub use load::{Loader, LoaderOptions, Locate, Location};
pub use version::{GoVersion, LATEST_GO};
