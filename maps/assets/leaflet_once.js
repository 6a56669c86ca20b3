if (typeof window.L === "undefined") {
/* inlined: Leaflet and the measuring tool */
}
