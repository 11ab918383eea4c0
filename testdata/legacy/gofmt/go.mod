module gofmt

go 1.19
