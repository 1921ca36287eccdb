package main

// The time zone database is embedded so that orders.timezone names a zone
// on every host, including those without one (scratch and distroless
// images, Windows): the store's midnight must not depend on the machine.
import _ "time/tzdata"
