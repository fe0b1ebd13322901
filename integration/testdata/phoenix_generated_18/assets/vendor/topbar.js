// A small stand-in for the vendored topbar library (an ES module default export).
const topbar = {
  options: {},
  config(opts) { Object.assign(this.options, opts) },
  show(delay) { this.shown = delay },
  hide() { this.shown = false },
}
export default topbar
