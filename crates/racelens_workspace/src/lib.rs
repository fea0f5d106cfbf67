//! Go project discovery and configuration for `racelens check`: modules (go.mod, go.work),
//! package patterns, build constraints, generated files, language versions, racelens.toml.

pub mod config;
pub mod constraint;
pub mod discover;
pub mod modfile;
pub mod version;

pub use config::{find_config, load_config, parse_config, Config, ConfigError, Located};
pub use constraint::Target;
pub use discover::{
    discover, DiscoverOptions, Module, Package, Problem, ProblemKind, SkipReason, SkippedFile,
    SourceFile, WorkFile, Workspace,
};
pub use version::{GoVersion, LATEST_GO};
