//! The fuzzing loop: each execution mutates a seed and feeds it to the
//! targets, stopping on a finding.

use super::*;

/// Runs the fuzzer; panics with the input on the first finding.
pub fn run(config: Config) -> Stats {
    let corpus = corpus();
    let mut stats = Stats {
        seeds: corpus.seeds.len(),
        ..Stats::default()
    };
    let mut rng = Rng::new(config.seed);
    let mut targets = Targets::load(&corpus);
    let panics = install_hook();
    let started = Instant::now();
    let mut finding: Option<String> = None;
    while stats.execs < config.execs && started.elapsed() < config.max_time {
        if targets.age >= 400 {
            targets = Targets::load(&corpus);
        }
        targets.age += 1;
        let seed = &corpus.seeds[rng.below(corpus.seeds.len())];
        let other = match &corpus.seeds[rng.below(corpus.seeds.len())] {
            Seed::Frame(b) | Seed::Update(b) => b.clone(),
        };
        let (mut input, is_frame) = match seed {
            Seed::Frame(b) => (b.clone(), true),
            Seed::Update(b) => (b.clone(), false),
        };
        // Mutate the update inside a frame (keeping its length right) or
        // the bytes as they are.
        let inner = if is_frame && rng.chance(40) {
            inner_update(&input)
        } else {
            None
        };
        // Mostly one mutation, so that more inputs get past the decoders.
        let rounds = [1, 1, 1, 1, 2, 2, 3, 4][rng.below(8)];
        match inner {
            Some((sync, mut update)) => {
                for _ in 0..rounds {
                    mutate(&mut rng, &mut update, &other);
                }
                input = wrap(sync, &update);
            }
            None => {
                for _ in 0..rounds {
                    mutate(&mut rng, &mut input, &other);
                }
            }
        }
        let conn = CONNS[rng.below(CONNS.len())].0;
        let who = writer(&mut rng);
        stats.execs += 1;
        take_largest();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            exec(&mut targets, &mut stats, &panics, &input, is_frame, conn, &who)
        }));
        let largest = take_largest();
        if largest > stats.largest_alloc {
            stats.largest_alloc = largest;
            stats.largest_alloc_input = input.clone();
        }
        let caught = std::mem::take(&mut *panics.lock().unwrap());
        let problem = match outcome {
            Err(_) => Some(format!("a panic escaped: {}", caught.join("; "))),
            Ok(Err(problem)) => Some(problem),
            Ok(Ok(())) => None,
        };
        if let Some(problem) = problem {
            let panicked = problem.contains("panic");
            stats.panics += u64::from(panicked);
            let kind = if is_frame { "frame" } else { "update" };
            let input = format!(
                "{kind} input (room conn {conn}; gate writer {:?} of {}): {}",
                who.role,
                who.agency,
                hex(&input)
            );
            if config.keep_going && !panicked {
                stats.findings += 1;
                if stats.finding_examples.len() < 3 {
                    stats.finding_examples.push(format!("{problem}; {input}"));
                }
                targets = Targets::load(&corpus);
                continue;
            }
            let replay = |log: &[(String, Vec<u8>)]| -> String {
                log.iter()
                    .map(|(who, bytes)| format!("\n  {who}: {}", hex(bytes)))
                    .collect()
            };
            let room_log: Vec<(String, Vec<u8>)> = targets
                .room_log
                .iter()
                .map(|(c, f)| (format!("conn {c}"), f.clone()))
                .collect();
            let gate_log: Vec<(String, Vec<u8>)> = targets
                .gate_log
                .iter()
                .map(|(r, u)| (format!("{r:?}"), u.clone()))
                .collect();
            finding = Some(format!(
                "{problem}\n{input}\n\
                 after these frames applied by the room since it was loaded from the corpus plan:{}\n\
                 and these updates applied by the gate:{}",
                replay(&room_log),
                replay(&gate_log)
            ));
            break;
        }
    }
    stats.elapsed = started.elapsed();
    let _ = std::panic::take_hook();
    if let Some(finding) = finding {
        panic!(
            "fuzzing found a problem after {} executions (seed {:#x}):\n{finding}\n{}",
            stats.execs,
            config.seed,
            stats.summary()
        );
    }
    stats
}

pub(super) fn exec(
    targets: &mut Targets,
    stats: &mut Stats,
    panics: &Panics,
    input: &[u8],
    is_frame: bool,
    conn: u64,
    who: &Writer,
) -> Result<(), String> {
    // The room, with the bytes as a frame (an update seed goes in an
    // update message).
    let frame = if is_frame {
        input.to_vec()
    } else {
        update_frame(input.to_vec())
    };
    let received: Received = targets.room.receive(conn, &frame);
    let caught = std::mem::take(&mut *panics.lock().unwrap());
    if !caught.is_empty() {
        // The protocol runs yrs' decoders behind a guard that turns a panic
        // into a refused frame: that is the guard working (yrs is not
        // ours), counted and shown, not a finding. Anything else is.
        let in_yrs = caught.iter().all(|p| p.contains("/yrs-"));
        if in_yrs && received.rejected.is_some() && received.broken.is_none() && received.updates.is_empty() {
            stats.guarded += caught.len() as u64;
            stats
                .guarded_example
                .get_or_insert_with(|| format!("{} (frame {})", caught.join("; "), hex(&frame)));
        } else {
            return Err(format!("a panic was caught inside the room: {}", caught.join("; ")));
        }
    }
    if let Some(broken) = &received.broken {
        return Err(format!(
            "the room admitted an update yrs could not apply whole: {broken}"
        ));
    }
    if !received.updates.is_empty() {
        stats.room_applied += 1;
        targets.room_log.push((conn, frame.clone()));
        if pending(&targets.room.plan().transact()) {
            return Err("the room's plan holds pending state after an admitted update".into());
        }
    } else if received.denied.is_some() {
        stats.room_denied += 1;
    } else if received.rejected.is_some() {
        stats.room_malformed += 1;
    } else {
        stats.room_other += 1;
    }
    // The decoder and the gate, with the bytes as an update (a frame seed
    // too: what the decoder makes of any bytes).
    if decode::decode(input).is_ok() {
        stats.decoded += 1;
    }
    let update = if is_frame {
        match inner_update(input) {
            Some((_, update)) => update,
            None => return Ok(()),
        }
    } else {
        input.to_vec()
    };
    match targets.gate.admit(&targets.plan, who, &update) {
        Ok(Admission::Applied { .. }) => {
            stats.gate_applied += 1;
            targets.gate_log.push((who.role, update.clone()));
            if pending(&targets.plan.transact()) {
                return Err("the plan holds pending state after an admitted update".into());
            }
        }
        Ok(Admission::Nothing) => stats.gate_nothing += 1,
        Err(Refusal::Denied { .. }) => stats.gate_denied += 1,
        Err(Refusal::Malformed(_)) => stats.gate_malformed += 1,
        Err(Refusal::Broken(why)) => {
            return Err(format!("the gate admitted an update yrs could not apply whole: {why}"));
        }
    }
    Ok(())
}
