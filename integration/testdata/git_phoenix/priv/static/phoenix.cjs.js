class Socket { constructor(endPoint) { this.endPoint = endPoint; this.kind = "phoenix-socket-stand-in" } }
module.exports = { Socket }
