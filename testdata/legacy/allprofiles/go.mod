module allprofiles

go 1.19
