// Package v2 is the vehicle application's IBC v2 module: the callbacks IBC v2
// core calls for payloads on port "vehicle", over the keeper's packet logic
// shared with the classic v1 module (docs/spec/vehicle-packet.md).
package v2
