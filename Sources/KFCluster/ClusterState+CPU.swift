import KFEngine

extension ClusterState {
    // MARK: - CPU sharing

    /// Recomputes the CPU rates on `node`; pods whose rate changes (and `forced`) get a new projected end
    /// and are appended to `rescheduled`.
    func reshare(node n: Int, now: SimTime, forced: PodID?) {
        let running = nodes[n].running
        guard !running.isEmpty else {
            cpuUsed -= nodes[n].cpuBusy
            nodes[n].cpuRate = 0
            nodes[n].cpuBusy = 0
            return
        }
        let capacity = Double(nodes[n].spec.allocatable.cpu) / 1000
        let rates = CPUSharing.rates(caps: nodes[n].runningCaps, weights: nodes[n].runningWeights, capacity: capacity)
        let duties = nodes[n].runningDuties
        var sum = 0.0, busy = 0.0
        for (k, id) in running.enumerated() {
            let newRate = rates[k]
            sum += newRate
            busy += newRate * duties[k]
            if newRate == nodes[n].runningRates[k] && id != forced { continue }
            nodes[n].runningRates[k] = newRate
            let p = Int(id)
            // Bring the work up to date at the old rate, then project at the new one.
            if pods[p].run.isCPUWork {
                pods[p].run.remainingWork = max(0, pods[p].run.remainingWork - pods[p].run.rate * Clock.seconds(now - pods[p].run.lastUpdate))
                pods[p].run.lastUpdate = now
                pods[p].run.rate = newRate
                pods[p].run.projectedEnd = newRate > 0 ? now + Clock.micros(seconds: pods[p].run.remainingWork / newRate) : -1
                rescheduled.append(id)
            } else {
                pods[p].run.lastUpdate = now
                pods[p].run.rate = newRate
            }
        }
        cpuUsed += busy - nodes[n].cpuBusy
        nodes[n].cpuRate = sum
        nodes[n].cpuBusy = busy
    }
}
