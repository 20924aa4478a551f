module github.com/urfave/cli/v2

go 1.11

require (
	github.com/BurntSushi/toml v0.3.1
	github.com/antzucaro/matchr v0.0.0-20180616170659-cbc221335f3c
	github.com/cpuguy83/go-md2man/v2 v2.0.0-20190314233015-f79a8a8ca69d
	gopkg.in/yaml.v2 v2.2.2
)

replace github.com/BurntSushi/toml => github.com/BurntSushi/toml v0.4.1

exclude gopkg.in/yaml.v2 v2.2.1

replace github.com/antzucaro/matchr => ../matchr
