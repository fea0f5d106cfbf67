module gotokens

go 1.19
