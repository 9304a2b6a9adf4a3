// Package tools pins the release tools of hawatch in a module of their own,
// so that their dependencies stay out of the daemon's go.mod:
//
//   - nfpm (github.com/goreleaser/nfpm/v2), which builds the deb and rpm
//     packages in scripts/release.sh, run as `go tool nfpm`;
//   - rpminfo, a reader of rpm headers for the packaging tests
//     (github.com/sassoftware/go-rpmutils, already in nfpm's graph);
//   - composecheck, which validates deploy/compose/compose.yaml with
//     compose-go, the loader docker compose uses, against the embedded
//     compose-spec schema.
package tools
