class LiveSocket { constructor(url, Socket) { this.socket = new Socket(url); this.kind = "phoenix-live-view-stand-in" } }
module.exports = { LiveSocket }
