module profgen

go 1.19
