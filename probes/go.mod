module probes

go 1.19
