module godump

go 1.19
