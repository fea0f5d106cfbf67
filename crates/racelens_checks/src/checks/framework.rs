//! The checks the framework itself reports: syntax errors and problems with suppression
//! comments. They have no logic here (`run` is `None`); their docs and fixtures live like any
//! other check's.

use crate::Check;
use racelens_diagnostics::{Category, CheckInfo};

pub const SYNTAX_ERROR: Check = Check {
    info: racelens_diagnostics::SYNTAX_ERROR,
    since: "0.1.0",
    needs_types: false,
    run: None,
};

pub const INVALID_SUPPRESSION: Check = Check {
    info: CheckInfo {
        name: "invalid-suppression",
        category: Category::Suspicious,
        summary: "A suppression comment has no reason or names a check racelens does not have.",
        docs: r#"## What it does

Reports `//racelens:ignore`, `//racelens:file-ignore` and staticcheck-style `//lint:ignore`
comments that give no reason after the check names, that name no check, or (for racelens's own
directives) that name a check racelens does not have.

## Why is this bad?

A suppression without a reason hides a possible bug without telling the next reader why it is
safe. A misspelt check name suppresses nothing, so the report it was meant for still shows, or
worse, the author believes a check is silenced that is not.

## Example

```go
package p

func f() {
	//racelens:ignore loop-variable-capture
	g()
}

func g() {}
```

## Use instead

```go
package p

func f() {
	g()
}

func g() {}
```

## Known limitations

Names in `//lint:ignore` comments are only checked when at least one of them is a racelens
check, because the same comment serves staticcheck's own checks. golangci-lint's `//nolint`
needs no reason.
"#,
        help_uri: None,
    },
    since: "0.1.0",
    needs_types: false,
    run: None,
};

pub const UNUSED_SUPPRESSION: Check = Check {
    info: CheckInfo {
        name: "unused-suppression",
        category: Category::Suspicious,
        summary: "A suppression comment suppresses nothing.",
        docs: r#"## What it does

Reports a `//racelens:ignore`, `//racelens:file-ignore`, `//lint:ignore` naming a racelens check,
or `//nolint:racelens` comment that suppressed no report in this run.

## Why is this bad?

A stale suppression outlives the code it was written for. When the line changes again and a
real race appears, the forgotten comment hides it.

## Example

```go
package p

func f() int {
	x := 1 //racelens:ignore wait-group-add-in-goroutine nothing here to ignore
	return x
}
```

## Use instead

```go
package p

func f() int {
	x := 1
	return x
}
```

## Known limitations

A suppression for a check that did not run (deselected in `racelens.toml` or on the command
line) is never called unused. Bare `//nolint` and `//nolint:all` comments concern every linter,
so racelens never reports them.
"#,
        help_uri: None,
    },
    since: "0.1.0",
    needs_types: false,
    run: None,
};
