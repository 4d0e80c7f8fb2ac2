//! Two pass key presses at once (Reset Pass Key, Store Pass Key Again) must leave WHMCS holding
//! the key the Backup Server holds, however their requests and writes interleave.
//!
//! - Every interleaving of two presses, enumerated: each press runs in a thread against a model
//!   server and a model WHMCS, and a scheduler lets exactly one of them take its next step (a
//!   reset, a read, one field write) at a time, in every possible order. A control shows the
//!   enumeration finds the bug when a press stores without reading back.
//! - The Reset Pass Key button against a real sgsim, with the key reset again (as by another
//!   press) while WHMCS stores the first one: the newer key is read back and stored.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use common::{net, Recorder, Sim};
use serde_json::{json, Map, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::server::client::LogRecord;
use sgwhmcs_core::whmcs::host::{Host, SetTo, WhmcsError};
use sgwhmcs_core::whmcs::passkey::{self, Home};

/// The server's key and what WHMCS's two `Pass Key` fields hold.
#[derive(Default)]
struct World {
    key: String,
    resets: usize,
    /// Field id => the key stored in it.
    fields: BTreeMap<i64, String>,
}

const CLIENT_FIELD: i64 = 41;
const PRODUCT_FIELD: i64 = 42;

/// Lets one press at a time take a step, in the order the test chooses.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
}

#[derive(Default)]
struct GateState {
    /// Which presses wait at a step.
    waiting: [bool; 2],
    /// Which presses have ended.
    done: [bool; 2],
    /// The press allowed to take its step.
    go: Option<usize>,
}

impl Gate {
    /// Waits until press `me` may take its step.
    fn step(&self, me: usize) {
        let mut s = self.state.lock().unwrap();
        s.waiting[me] = true;
        self.moved.notify_all();
        while s.go != Some(me) {
            s = self.moved.wait(s).unwrap();
        }
        s.go = None;
        s.waiting[me] = false;
    }

    fn finish(&self, me: usize) {
        self.state.lock().unwrap().done[me] = true;
        self.moved.notify_all();
    }

    /// Once every press waits at a step or has ended: the waiting ones (empty when all ended).
    fn settled(&self) -> Vec<usize> {
        let mut s = self.state.lock().unwrap();
        loop {
            if s.go.is_none() && (0..2).all(|i| s.waiting[i] || s.done[i]) {
                return (0..2).filter(|&i| s.waiting[i]).collect();
            }
            s = self.moved.wait(s).unwrap();
        }
    }

    fn allow(&self, press: usize) {
        self.state.lock().unwrap().go = Some(press);
        self.moved.notify_all();
    }
}

/// WHMCS as one press sees it: the two `Pass Key` fields (Text Box, so no decryption), service 7
/// of product 2; each field write is one step.
struct ModelHost {
    me: usize,
    world: Arc<Mutex<World>>,
    gate: Arc<Gate>,
}

impl Host for ModelHost {
    fn log_module_call(&mut self, _: &str, _: &LogRecord, _: &[String]) {}

    fn log_activity(&mut self, _: &str, _: &str) {}

    fn local_api(&mut self, command: &str, values: Value) -> Value {
        assert!(
            ["UpdateClient", "UpdateClientProduct"].contains(&command),
            "{command}"
        );
        let blob = common::decode_base64(values["customfields"].as_str().unwrap()).unwrap();
        let fields = common::parse_php_fields(&blob).unwrap();
        self.gate.step(self.me);
        let mut world = self.world.lock().unwrap();
        for (id, key) in fields {
            world.fields.insert(id, key);
        }
        json!({"result": "success"})
    }

    fn db_value(
        &mut self,
        table: &str,
        _: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, WhmcsError> {
        assert_eq!((table, column), ("tblhosting", "packageid"));
        Ok(Some(json!(2)))
    }

    fn db_insert(&mut self, table: &str, _: Value) -> Result<i64, WhmcsError> {
        Err(format!("no insert expected into {table}").into())
    }

    fn root_dir(&mut self) -> Option<String> {
        None
    }

    fn decrypt(&mut self, _: &str) -> Result<String, WhmcsError> {
        Err("no password field here".into())
    }

    fn db_rows(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        _: Option<(&str, &[Value])>,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        assert_eq!(table, "tblcustomfields");
        let product = conditions.contains(&("type", json!("product")));
        let (id, kind, relid) = if product {
            (PRODUCT_FIELD, "product", 2)
        } else {
            (CLIENT_FIELD, "client", 0)
        };
        let row = json!({"id": id, "type": kind, "relid": relid, "fieldname": "Pass Key", "fieldtype": "text"});
        Ok(vec![row.as_object().unwrap().clone()])
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Press {
    /// Reset Pass Key: the server makes a new key and answers it.
    Reset,
    /// Store Pass Key Again: the server's key is read.
    StoreAgain,
}

/// How a press stores the key it got.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Storing {
    /// As the buttons do: [`passkey::store_current`].
    ReadingBack,
    /// The old way, for the control: [`passkey::store`] alone.
    Blind,
}

/// The server's key, read as one step.
fn read(world: &Mutex<World>, gate: &Gate, me: usize) -> String {
    gate.step(me);
    world.lock().unwrap().key.clone()
}

/// Runs one press as the buttons do, its every server request and field write one step.
fn run_press(
    me: usize,
    press: Press,
    storing: Storing,
    world: Arc<Mutex<World>>,
    gate: Arc<Gate>,
) -> Result<(), passkey::Unsettled> {
    let key = match press {
        Press::Reset => {
            gate.step(me);
            let mut w = world.lock().unwrap();
            w.resets += 1;
            w.key = format!("KEY{}", w.resets);
            w.key.clone()
        }
        Press::StoreAgain => read(&world, &gate, me),
    };
    let mut host = ModelHost {
        me,
        world: world.clone(),
        gate: gate.clone(),
    };
    let home = Home::Service {
        service: "7",
        client: "3",
    };
    match storing {
        Storing::ReadingBack => {
            let mut current =
                |_: &mut dyn Host| -> Result<String, String> { Ok(read(&world, &gate, me)) };
            passkey::store_current(&mut host, home, &key, &mut current)
        }
        Storing::Blind => {
            passkey::store(&mut host, home, &key).map_err(passkey::Unsettled::NotStored)
        }
    }
}

/// Runs the two presses in the order `prefix` chooses at each step where both could move (then
/// the first of them): answers the choices made (chosen, how many there were), the presses'
/// results and the end state.
#[allow(clippy::type_complexity)]
fn run_schedule(
    presses: [Press; 2],
    storing: Storing,
    prefix: &[usize],
) -> (
    Vec<(usize, usize)>,
    Vec<Result<(), passkey::Unsettled>>,
    World,
) {
    let world = Arc::new(Mutex::new(World {
        key: "KEY0".into(),
        ..World::default()
    }));
    let gate = Arc::new(Gate::default());
    let threads: Vec<_> = (0..2)
        .map(|me| {
            let (world, gate) = (world.clone(), gate.clone());
            thread::spawn(move || {
                let result = run_press(me, presses[me], storing, world, gate.clone());
                gate.finish(me);
                result
            })
        })
        .collect();
    let mut choices = Vec::new();
    loop {
        let waiting = gate.settled();
        if waiting.is_empty() {
            break;
        }
        let pick = prefix.get(choices.len()).copied().unwrap_or(0);
        choices.push((pick, waiting.len()));
        gate.allow(waiting[pick]);
    }
    let results = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let world = Arc::try_unwrap(world).ok().unwrap().into_inner().unwrap();
    (choices, results, world)
}

/// Every schedule of two presses (depth first over the choices): how many there were, and those
/// that did not end with the server's key in both fields and both presses answering success.
fn every_schedule(presses: [Press; 2], storing: Storing) -> (usize, Vec<String>) {
    let mut prefix: Vec<usize> = Vec::new();
    let (mut runs, mut wrong) = (0, Vec::new());
    loop {
        let (choices, results, world) = run_schedule(presses, storing, &prefix);
        runs += 1;
        let both = [CLIENT_FIELD, PRODUCT_FIELD].map(|f| world.fields.get(&f).cloned());
        let right = Some(world.key.clone());
        if both.iter().any(|f| *f != right) || results.iter().any(Result::is_err) {
            wrong.push(format!(
                "{choices:?}: server {}, fields {both:?}, {results:?}",
                world.key
            ));
        }
        // The next schedule: the last choice that had an untried alternative, taken.
        let mut next: Vec<usize> = choices.iter().map(|&(c, _)| c).collect();
        while let Some(&(c, n)) = choices.get(next.len().wrapping_sub(1)) {
            if c + 1 < n {
                *next.last_mut().unwrap() += 1;
                break;
            }
            next.pop();
        }
        if next.is_empty() {
            return (runs, wrong);
        }
        prefix = next;
    }
}

#[test]
fn every_interleaving_of_two_presses_leaves_the_servers_key_in_both_fields() {
    for presses in [
        [Press::Reset, Press::Reset],
        [Press::Reset, Press::StoreAgain],
        [Press::StoreAgain, Press::StoreAgain],
    ] {
        let (runs, wrong) = every_schedule(presses, Storing::ReadingBack);
        // Each press takes at least four steps (reset or read, two writes, a read-back): at
        // least C(8, 4) orders.
        assert!(runs >= 70, "{presses:?}: only {runs} schedules");
        assert!(
            wrong.is_empty(),
            "{presses:?}: {} of {runs} schedules end wrong, e.g. {}",
            wrong.len(),
            wrong[0]
        );
    }
}

#[test]
fn the_enumeration_finds_a_late_answer_overwriting_a_newer_key_when_nothing_is_read_back() {
    for presses in [
        [Press::Reset, Press::Reset],
        [Press::Reset, Press::StoreAgain],
    ] {
        let (runs, wrong) = every_schedule(presses, Storing::Blind);
        assert!(
            !wrong.is_empty(),
            "{presses:?}: all {runs} schedules right without reading back"
        );
    }
}

/// Recorder, and after its first `UpdateClient` (the first key is stored) the key is reset on the
/// server, as by a second press whose reset came later.
struct ResetWhileStoring<'a> {
    inner: &'a mut Recorder,
    sim: &'a Sim,
    name: &'a str,
    fired: bool,
}

impl Host for ResetWhileStoring<'_> {
    fn log_module_call(&mut self, action: &str, record: &LogRecord, secrets: &[String]) {
        self.inner.log_module_call(action, record, secrets);
    }

    fn log_activity(&mut self, message: &str, client_id: &str) {
        self.inner.log_activity(message, client_id);
    }

    fn local_api(&mut self, command: &str, values: Value) -> Value {
        let answer = self.inner.local_api(command, values);
        if command == "UpdateClient" && !self.fired {
            self.fired = true;
            let path = format!("/customers/{}/passkey/reset", self.name);
            assert_eq!(self.sim.api("POST", &path, None).0, 200);
        }
        answer
    }

    fn db_value(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, WhmcsError> {
        self.inner.db_value(table, conditions, column)
    }

    fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, WhmcsError> {
        self.inner.db_insert(table, row)
    }

    fn root_dir(&mut self) -> Option<String> {
        self.inner.root_dir()
    }

    fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError> {
        self.inner.decrypt(value)
    }

    fn module_name(&self) -> String {
        self.inner.module_name()
    }

    fn db_rows(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        self.inner.db_rows(table, conditions, within)
    }

    fn db_delete(&mut self, table: &str, id: i64) -> Result<(), WhmcsError> {
        self.inner.db_delete(table, id)
    }

    fn db_update_in(
        &mut self,
        table: &str,
        key: &str,
        ids: &[i64],
        set: &[(&str, SetTo)],
    ) -> Result<(), WhmcsError> {
        self.inner.db_update_in(table, key, ids, set)
    }
}

#[test]
fn a_reset_whose_key_is_reset_again_while_it_is_stored_stores_the_newer_key() {
    let sim = Sim::http();
    let mut recorder = Recorder::with_service();
    let reference = sgwhmcs_core::whmcs::reference::for_service(&mut recorder, "7").unwrap();
    sim.make("customers", "AcmeRace", Some(&reference));
    let reads = sim.count("GET /customers/{name}/passkey");
    let mut host = ResetWhileStoring {
        inner: &mut recorder,
        sim: &sim,
        name: "AcmeRace",
        fired: false,
    };
    let answer = module::call(
        Function::ResetPassKey,
        &sim.params(json!({"username": "AcmeRace"})),
        &mut host,
        &net(),
    );
    assert!(host.fired);
    assert_eq!(answer, json!("success"));
    assert_eq!(
        sim.count("GET /customers/{name}/passkey") - reads,
        2,
        "read back: the newer key, then once more to confirm it"
    );
    let current = sim.passkey("AcmeRace");
    assert_eq!(sim.count("POST /customers/{name}/passkey/reset"), 2);
    assert_eq!(
        recorder.stored_passkey("3").as_deref(),
        Some(current.as_str())
    );
    let own = passkey::stored_in(&mut recorder, passkey::Owner::Product(2), "7").unwrap();
    assert_eq!(own.as_deref(), Some(current.as_str()));
    assert_eq!(
        recorder.calls_of("UpdateClient").len(),
        2,
        "stored, then the newer key"
    );
    for entry in &recorder.module_log {
        assert!(!entry.text().contains(&current), "{}", entry.text());
    }
    assert!(recorder
        .activity
        .iter()
        .all(|(line, _)| !line.contains(&current)));
}
