//! Go source for the type checker's tests: GOROOT (`/usr/lib/go-1.19`) through the real
//! package loader, and packages parsed with their bodies from directories or files, with
//! the loader's file selection (linux/amd64, no cgo, no tests).

#![allow(dead_code)]

use racelens_semantic::import::SourcePackage;
use racelens_workspace::load::{package_sources, Loader, LoaderOptions, Locate};
use racelens_workspace::Target;
use std::path::{Path, PathBuf};

pub const GOROOT: &str = "/usr/lib/go-1.19";

/// A loader over GOROOT alone (no module cache, no GOPATH), and `gopath` if given.
pub fn goroot_loader(gopath: Option<&str>) -> Loader {
    Loader::new(LoaderOptions {
        goroot: Locate::At(PathBuf::from(GOROOT)),
        mod_cache: Locate::Off,
        gopath: gopath.map(PathBuf::from).into_iter().collect(),
        ..LoaderOptions::default()
    })
}

/// The files of directory `dir` a linux/amd64 build compiles, parsed with their bodies, as
/// package `path`.
pub fn parse_dir(path: &str, dir: &Path) -> SourcePackage {
    SourcePackage {
        path: path.to_string(),
        files: package_sources(dir, &Target::default())
            .iter()
            .map(|(_, src)| std::sync::Arc::new(racelens_syntax::parse(src).0))
            .collect(),
    }
}

/// The given files parsed with their bodies, as package `path`.
pub fn parse_files(path: &str, files: &[PathBuf]) -> SourcePackage {
    SourcePackage {
        path: path.to_string(),
        files: files
            .iter()
            .map(|p| {
                std::sync::Arc::new(
                    racelens_syntax::parse(&std::fs::read(p).expect("test input")).0,
                )
            })
            .collect(),
    }
}
