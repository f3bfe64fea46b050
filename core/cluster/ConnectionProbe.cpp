#include "cluster/ConnectionProbe.h"

#include "kafka/Handles.h"

#include <QMetaObject>
#include <algorithm>
#include <chrono>

namespace kcl {

namespace {

// What librdkafka's error callback reported so far. The callback runs inside rd_kafka_poll(), on the probe's own
// thread (no background queue is configured), so plain members suffice.
struct SeenErrors {
    KafkaError authentication, tls, allBrokersDown, transport;
};

void recordError(rd_kafka_t *, int err, const char *reason, void *opaque) noexcept
{
    auto *seen = static_cast<SeenErrors *>(opaque);
    const auto code = static_cast<rd_kafka_resp_err_t>(err);
    KafkaError *slot = nullptr;
    switch (code) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
        slot = &seen->authentication;
        break;
    case RD_KAFKA_RESP_ERR__SSL:
        slot = &seen->tls;
        break;
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        slot = &seen->allBrokersDown;
        break;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__RESOLVE:
        slot = &seen->transport;
        break;
    default:
        return;
    }
    if (!*slot) { // keep the first: it names the broker and the cause; later ones are retries
        try {
            *slot = KafkaError::fromCode(code, reason ? reason : "");
        } catch (...) { // no exception may cross librdkafka's C callback
        }
    }
}

// The probe's own failures are reported through error_cb; librdkafka's log lines (the same connection errors,
// repeated per retry) would only clutter the terminal.
void discardLog(const rd_kafka_t *, int, const char *, const char *) noexcept {}

} // namespace

ConnectionProbe::ConnectionProbe(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<kcl::ConnectionProbeResult>("kcl::ConnectionProbeResult");
}

ConnectionProbe::~ConnectionProbe()
{
    cancel();
    joinWorker();
}

void ConnectionProbe::joinWorker()
{
    if (m_worker.joinable())
        m_worker.join();
}

bool ConnectionProbe::probe(const ClusterProfile &profile, int timeoutMs, const std::string &bootstrap)
{
    if (m_running)
        return false;
    joinWorker(); // the previous probe's thread has posted its result: it is ending or ended
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_worker = std::thread([this, profile, timeoutMs, bootstrap, cancel = m_cancel] {
        ConnectionProbeResult result = run(profile, timeoutMs, bootstrap, cancel.get());
        // Posted to this object's thread. The destructor joins this thread before the QObject goes away, and a
        // QObject's pending posted events die with it, so the lambda never runs on a destroyed probe.
        QMetaObject::invokeMethod(
            this,
            [this, result] {
                m_running = false;
                Q_EMIT finished(result);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void ConnectionProbe::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

ConnectionProbeResult ConnectionProbe::run(const ClusterProfile &profile, int timeoutMs, const std::string &bootstrap,
                                           const std::atomic<bool> *cancelled)
{
    using Clock = std::chrono::steady_clock;
    const auto startedAt = Clock::now();
    const auto deadline = startedAt + std::chrono::milliseconds(timeoutMs);
    ConnectionProbeResult r;
    r.bootstrap = QString::fromStdString(bootstrap.empty() ? profile.bootstrapServers : bootstrap);
    auto finish = [&](ConnectionProbeResult::Outcome outcome, KafkaError error = {}) {
        r.outcome = outcome;
        r.error = std::move(error);
        r.elapsedSec = std::chrono::duration<double>(Clock::now() - startedAt).count();
        return r;
    };

    auto props = profile.clientProperties(bootstrap);
    props["client.id"] = "kcl-connection-probe";
    // Retry quickly within the probe's short life (the defaults back off up to 10 s).
    props["reconnect.backoff.ms"] = "100";
    props["reconnect.backoff.max.ms"] = "1000";
    props["socket.connection.setup.timeout.ms"] = std::to_string(std::max(1000, timeoutMs));
    SeenErrors seen;
    KafkaHandle rk;
    try {
        ConfHandle conf = makeConf(props);
        rd_kafka_conf_set_opaque(conf.get(), &seen);
        rd_kafka_conf_set_error_cb(conf.get(), &recordError);
        rd_kafka_conf_set_log_cb(conf.get(), &discardLog);
        rk = makeHandle(RD_KAFKA_PRODUCER, std::move(conf));
    } catch (const KafkaConfigError &ex) {
        // A CA file librdkafka cannot load is refused here, before any connection: that is a TLS problem.
        const std::string what = ex.what();
        const bool tls = what.find("ssl") != std::string::npos || what.find("SSL") != std::string::npos;
        return finish(tls ? ConnectionProbeResult::Outcome::TlsError : ConnectionProbeResult::Outcome::InvalidConfiguration,
                      KafkaError::fromCode(tls ? RD_KAFKA_RESP_ERR__SSL : RD_KAFKA_RESP_ERR__INVALID_ARG, what));
    }

    // Short metadata requests in a loop rather than one long one: between them the error callback is served and
    // the cancel flag read, so a decisive error or a cancel ends the probe at once.
    constexpr auto slice = std::chrono::milliseconds(250);
    for (;;) {
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const int wait = int(std::clamp(remaining, std::chrono::milliseconds(1), std::chrono::milliseconds(slice)).count());
        const rd_kafka_metadata_t *md = nullptr;
        if (rd_kafka_metadata(rk.get(), 0, nullptr, &md, wait) == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
            MetadataHandle owned(md);
            r.brokerCount = md->broker_cnt;
            r.controllerId = rd_kafka_controllerid(rk.get(), 500);
            return finish(ConnectionProbeResult::Outcome::Ok);
        }
        rd_kafka_poll(rk.get(), 0);
        if (seen.authentication)
            return finish(ConnectionProbeResult::Outcome::AuthenticationFailed, seen.authentication);
        if (seen.tls)
            return finish(ConnectionProbeResult::Outcome::TlsError, seen.tls);
        if (seen.allBrokersDown) {
            // Name the first broker's own failure when there is one ("Connect to ipv4#127.0.0.1:9 failed: ...").
            KafkaError e = seen.allBrokersDown;
            if (seen.transport)
                e.detail = seen.transport.detail;
            return finish(ConnectionProbeResult::Outcome::Unreachable, e);
        }
        if (cancelled && cancelled->load())
            return finish(ConnectionProbeResult::Outcome::Cancelled);
        if (Clock::now() >= deadline)
            return finish(ConnectionProbeResult::Outcome::Unreachable,
                          seen.transport ? seen.transport
                                         : KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT,
                                                                "no broker answered within " + std::to_string(timeoutMs) + " ms"));
    }
}

} // namespace kcl
