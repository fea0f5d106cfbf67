module example.com/racelens-examples

// Go 1.21: loop variables are still shared between iterations (per-iteration since Go 1.22).
go 1.21
