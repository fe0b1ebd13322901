// Stand-in for LiveView's client: takes the Socket class as the real one does.
export class LiveSocket {
  constructor(url, Socket, opts = {}) {
    this.socket = new Socket(url, opts)
    this.kind = "phoenix-live-view-stand-in"
  }
  connect() { return this.socket.connect() + " " + this.kind }
}
