//! Several server nodes, a load balancer, faults (killed and frozen nodes,
//! a crashing PostgreSQL) and a latency measurement. Each test holds
//! [`integration_tests::machine`]: the one that measures has the machine
//! to itself.

mod appends;
mod balancer;
mod faults;
mod nodes;
mod notifications;
mod slow_consumer;
