// Stand-in for Phoenix's socket client: the marker proves esbuild bundled it.
export class Socket {
  constructor(endPoint, opts = {}) {
    this.endPoint = endPoint
    this.opts = opts
    this.kind = "phoenix-socket-stand-in"
  }
  connect() { return this.kind }
}
