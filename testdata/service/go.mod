module leakservice

go 1.19
