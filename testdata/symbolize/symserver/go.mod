module symserver

go 1.19
