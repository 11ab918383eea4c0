module webgen

go 1.19
