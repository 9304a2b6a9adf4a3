package e2e

import "syscall"

// sighup asks hawatch to reload its configuration.
var sighup = syscall.SIGHUP
