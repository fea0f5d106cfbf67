module gotypes

go 1.19
