//! Reference data and mapping profiles: who sees which profiles, saving versions, refusing a
//! malformed profile, testing one against a sample without storing it, the codelists pages,
//! editing the provider register, CSRF, the JSON API and its OpenAPI entries.

use axum::http::StatusCode;

use crate::support::{Client, Hub, PASSWORD, Reply, assert_ok, hub, state};

/// A victims profile for a police-style export (columns `id, date, sex, age_group, nat, form`).
pub(crate) const PROFILE: &str = r#"[profile]
id = "police"
version = "1"
record_type = "VICTIM"

[constants]
provider_id = "PT-X"
status = "SIGNALLED"
country_role = "DESTINATION"
assistance_received = "UNK"
reflection_period_granted = "UNK"
residence_permit_granted = "UNK"
record_version = 1
country_of_exploitation = "PT"

[fields.record_ref]
column = "id"

[fields.registration_date]
column = "date"

[fields.status_date]
copy = "registration_date"

[fields.updated_at]
copy = "registration_date"

[fields.sex]
column = "sex"
values = { "Masculino" = "M", "Feminino" = "F" }
default = "UNK"

[fields.age_group]
column = "age_group"
default = "UNK"

[fields.citizenship]
column = "nat"
split = ";"
country = true
default = "UNK"

[fields.forms_of_exploitation]
column = "form"
split = "+"
values = { "Exploração laboral" = "LABOUR", "Exploração sexual" = "SEXUAL" }

[fields.main_exploitation]
derive = "first_form"
"#;

/// A sample with one value the profile does not map and one column it does not use.
const SAMPLE: &str = "id,date,sex,age_group,nat,form,notes\n\
    r1,2024-03-01,Masculino,Y_GE18,PT,Exploração laboral,x\n\
    r2,2024-03-02,Feminino,Y_GE18,BR,Exploração sexual,y\n\
    r3,2024-03-03,Feminino,Y_LT18,BR,mendicidade forçada,z\n";

async fn logged_in(hub: &Hub, user: &str) -> Client {
    let mut c = Client::new(state(hub));
    c.login(user, PASSWORD).await;
    c
}

/// Posts the profile editor of `path` (`/profiles/new` or `/profiles/{name}`).
async fn post_editor(
    c: &mut Client,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
    sample: Option<&str>,
) -> Reply {
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("csrf", None, csrf.as_bytes())];
    for (k, v) in fields {
        parts.push((k, None, v.as_bytes()));
    }
    if let Some(s) = sample {
        parts.push(("sample", Some("sample.csv"), s.as_bytes()));
    }
    c.post_multipart(path, &[], &parts).await
}

fn seed_profiles(hub: &Hub) {
    let mut s = store::Store::open(&hub.database).expect("store");
    let now = chrono::Utc::now();
    s.save_profile("shared-p", None, PROFILE, "admin", now).expect("shared");
    s.save_profile("a-p", Some(&hub.providers[0]), PROFILE, "admin", now).expect("a");
    s.save_profile("b-p", Some(&hub.providers[1]), PROFILE, "admin", now).expect("b");
}

async fn api_csrf(c: &mut Client) -> String {
    let me: serde_json::Value = serde_json::from_slice(&c.get("/api/me").await.body).expect("json");
    me["csrf"].as_str().expect("csrf").to_string()
}

#[tokio::test]
async fn provider_users_see_their_own_and_shared_profiles_and_cannot_save() {
    let hub = hub();
    seed_profiles(&hub);
    let mut p = logged_in(&hub, "prov-a").await;
    let list = p.get("/profiles").await;
    assert_ok(&list);
    let text = list.text();
    assert!(text.contains("href=\"/profiles\""), "in the navigation");
    assert!(text.contains("/profiles/shared-p") && text.contains("/profiles/a-p"), "own and shared");
    assert!(!text.contains("b-p"), "never another provider's");
    assert!(!text.contains("/profiles/new"), "may not create");
    // Another provider's profile by name: refused.
    assert_eq!(p.get("/profiles/b-p").await.status, StatusCode::FORBIDDEN);
    assert_eq!(p.get("/api/profiles/b-p").await.status, StatusCode::FORBIDDEN);
    // Its own: read only.
    let own = p.get("/profiles/a-p").await;
    assert_ok(&own);
    assert!(own.text().contains("id=\"profile-text\""), "shown");
    assert!(!own.text().contains("name=\"toml\""), "no editor");
    assert_eq!(p.get("/profiles/new").await.status, StatusCode::FORBIDDEN);
    // The API lists the same, and refuses a save.
    let api: serde_json::Value = serde_json::from_slice(&p.get("/api/profiles").await.body).expect("json");
    let names: Vec<&str> = api.as_array().expect("list").iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, vec!["a-p", "shared-p"]);
    let csrf = api_csrf(&mut p).await;
    let r = p.post_json("/api/profiles/a-p", &csrf, &serde_json::json!({"toml": PROFILE})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_editor(&mut p, "/profiles/a-p", &csrf, &[("toml", PROFILE), ("op", "save")], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The upload form offers its own and shared stored profiles only.
    let form = p.get("/submissions/upload").await.text();
    assert!(form.contains("<option value=\"a-p\">") && form.contains("<option value=\"shared-p\">"));
    assert!(!form.contains("b-p"));
    // An upload uses its own stored profile, never another provider's.
    let mapped: String =
        SAMPLE.lines().map(|l| format!("{}\n", l.rsplit_once(',').map_or(l, |(a, _)| a))).collect();
    let upload = |profile: &'static str| {
        [("profile", None, profile.as_bytes()), ("file", Some("police.csv"), mapped.as_bytes())]
    };
    let r = p.post_multipart("/api/submissions", &[("x-csrf-token", &csrf)], &upload("b-p")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("The mapping profile cannot be used"), "{}", r.text());
    let r = p.post_multipart("/api/submissions", &[("x-csrf-token", &csrf)], &upload("a-p")).await;
    let done: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
    assert_eq!(done["rows_read"], 3, "the stored profile mapped the file: {done}");
    let mut s = store::Store::open(&hub.database).expect("store");
    assert_eq!(s.profile_history("a-p").expect("history").len(), 1, "nothing saved");
    // Neither an EU viewer nor the public reach the profiles.
    let mut eu = logged_in(&hub, "eu").await;
    assert_eq!(eu.get("/profiles").await.status, StatusCode::FORBIDDEN);
    assert!(!eu.get("/releases").await.text().contains("href=\"/profiles\""));
    let mut anon = Client::new(state(&hub));
    assert_eq!(anon.get("/profiles").await.location().as_deref(), Some("/login"));
}

#[tokio::test]
async fn analysts_save_versions_and_see_the_history() {
    let hub = hub();
    let mut a = logged_in(&hub, "analyst").await;
    let csrf = a.csrf("/profiles/new").await;
    let fields =
        [("name", "police"), ("provider", hub.providers[0].as_str()), ("toml", PROFILE), ("op", "save")];
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location().as_deref(), Some("/profiles/police?saved=1"));
    let page = a.get("/profiles/police?saved=1").await;
    assert_ok(&page);
    assert!(page.text().contains("Profile saved as version 1."));
    // A second save of a changed text is version 2; the same text again stores nothing.
    let v2 = PROFILE.replace("version = \"1\"", "version = \"2\"");
    let csrf = a.csrf("/profiles/police").await;
    let r = post_editor(&mut a, "/profiles/police", &csrf, &[("toml", &v2), ("op", "save")], None).await;
    assert_eq!(r.location().as_deref(), Some("/profiles/police?saved=2"));
    let r = post_editor(&mut a, "/profiles/police", &csrf, &[("toml", &v2), ("op", "save")], None).await;
    assert_ok(&r);
    assert!(r.text().contains("nothing was stored"));
    let page = a.get("/profiles/police").await.text();
    assert!(page.contains("href=\"/profiles/police?version=1\""), "history links the older version");
    assert!(page.contains("<strong>2</strong>"), "the latest is shown");
    let old = a.get("/profiles/police?version=1").await.text();
    assert!(old.contains("version = &quot;1&quot;"), "the old text");
    assert_eq!(a.get("/profiles/police?version=9").await.status, StatusCode::NOT_FOUND);
    // A name taken is refused for a new profile.
    let csrf = a.csrf("/profiles/new").await;
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut s = store::Store::open(&hub.database).expect("store");
    let history = s.profile_history("police").expect("history");
    assert_eq!(history.iter().map(|p| p.version).collect::<Vec<_>>(), vec![1, 2]);
    assert!(history.iter().all(|p| p.created_by == "analyst"));
    let log = s.audit_log().expect("audit");
    let saves: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "profile.save" && e.object == "profile:police" && e.outcome == "ok")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(saves, vec!["version=1", "version=2", "unchanged version=2"]);
    assert!(!log.iter().any(|e| e.detail.contains("record_type")), "never the profile text");
    // The other provider's user does not see it; the owning provider's user does.
    let mut b = logged_in(&hub, "prov-b").await;
    assert_eq!(b.get("/profiles/police").await.status, StatusCode::FORBIDDEN);
    let mut own = logged_in(&hub, "prov-a").await;
    assert_ok(&own.get("/profiles/police").await);
}

#[tokio::test]
async fn a_malformed_profile_is_refused_with_its_line_and_nothing_is_stored() {
    let hub = hub();
    let mut a = logged_in(&hub, "analyst").await;
    let csrf = a.csrf("/profiles/new").await;
    let broken = PROFILE.replace("column = \"nat\"", "column = \"nat");
    let fields = [("name", "broken"), ("provider", ""), ("toml", broken.as_str()), ("op", "save")];
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text();
    assert!(
        text.contains("line 38, column"),
        "pinpointed: {}",
        &text[text.find("alert").unwrap_or(0)..][..300]
    );
    assert!(text.contains("column = &quot;nat\n"), "the edited text is kept");
    // An unknown key too, and an existing profile keeps its versions.
    let fields = [("name", "good"), ("provider", ""), ("toml", PROFILE), ("op", "save")];
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let csrf = a.csrf("/profiles/good").await;
    let typo =
        PROFILE.replace("default = \"UNK\"\n\n[fields.age_group]", "defualt = \"UNK\"\n\n[fields.age_group]");
    let r = post_editor(&mut a, "/profiles/good", &csrf, &[("toml", &typo), ("op", "save")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("fields.sex.defualt"), "names the key");
    let mut s = store::Store::open(&hub.database).expect("store");
    assert_eq!(s.profile("broken", None).expect("get"), None);
    assert_eq!(s.profile_history("good").expect("history").len(), 1);
    // The API refuses it the same way, with line and column.
    let csrf = api_csrf(&mut a).await;
    let r = a.post_json("/api/profiles/broken", &csrf, &serde_json::json!({"toml": broken})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
    assert_eq!(body["line"], 38);
    assert!(body["column"].as_u64().is_some_and(|c| c > 1));
    assert_eq!(s.profile("broken", None).expect("get"), None);
}

#[tokio::test]
async fn testing_against_a_sample_shows_coverage_and_stores_nothing() {
    let hub = hub();
    let mut a = logged_in(&hub, "admin").await;
    let csrf = a.csrf("/profiles/new").await;
    let fields = [("name", "sampled"), ("provider", ""), ("toml", PROFILE), ("op", "test")];
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, Some(SAMPLE)).await;
    assert_ok(&r);
    let text = r.text();
    assert!(text.contains("id=\"profile-test\""), "{text}");
    assert!(text.contains("<code class=\"unmapped\">mendicidade forçada</code> 1"), "the unmapped value");
    assert!(
        text.contains("<ul class=\"unused-columns\"><li><code>notes</code></li></ul>"),
        "the unused column"
    );
    assert!(text.contains("<code>LABOUR</code> 1"), "counts per code");
    let at = text.find("rows read").unwrap_or(0);
    assert!(
        text.contains("3 rows read, 1 with mapping problems."),
        "rows: {}",
        &text[at.saturating_sub(40)..at + 60]
    );
    // Without a sample: a message; with a malformed profile: the parse error.
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = PROFILE.replace("[fields.sex]", "[fields.sex");
    let fields_bad = [("name", "sampled"), ("provider", ""), ("toml", bad.as_str()), ("op", "test")];
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields_bad, Some(SAMPLE)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("line 28, column"));
    // A sample whose header lacks a mapped column names the column.
    let r = post_editor(&mut a, "/profiles/new", &csrf, &fields, Some("id,date\nr1,2024-01-01\n")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("column `sex`"));
    assert!(!r.text().contains("/tmp/"), "never the server's path");
    // Nothing was stored, on an existing profile either.
    let save = [("name", "sampled"), ("provider", ""), ("toml", PROFILE), ("op", "save")];
    post_editor(&mut a, "/profiles/new", &csrf, &save, None).await;
    let csrf = a.csrf("/profiles/sampled").await;
    let changed = PROFILE.replace("version = \"1\"", "version = \"3\"");
    let r =
        post_editor(&mut a, "/profiles/sampled", &csrf, &[("toml", &changed), ("op", "test")], Some(SAMPLE))
            .await;
    assert_ok(&r);
    assert!(r.text().contains("version = &quot;3&quot;"), "the edited text stays in the editor");
    let mut s = store::Store::open(&hub.database).expect("store");
    assert_eq!(s.profile_history("sampled").expect("history").len(), 1);
    assert!(s.audit_log().expect("audit").iter().any(|e| e.action == "profile.test"));
}

#[tokio::test]
async fn every_post_needs_its_csrf_token() {
    let hub = hub();
    seed_profiles(&hub);
    let mut a = logged_in(&hub, "admin").await;
    let fields = [("name", "x"), ("provider", ""), ("toml", PROFILE), ("op", "save")];
    let r = post_editor(&mut a, "/profiles/new", "wrong", &fields, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_editor(&mut a, "/profiles/a-p", "", &[("toml", "x"), ("op", "save")], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The token of another form does not do either.
    let users_csrf = a.csrf("/admin/users").await;
    let r = post_editor(&mut a, "/profiles/new", &users_csrf, &fields, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let p = hub.providers[0].clone();
    let r = a.post_form(&format!("/providers/{p}"), &[("name", "Hijacked"), ("csrf", &users_csrf)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a.post_json("/api/profiles/x", "bad", &serde_json::json!({"toml": PROFILE})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut s = store::Store::open(&hub.database).expect("store");
    assert_eq!(s.profile("x", None).expect("get"), None);
    assert_eq!(s.profile_history("a-p").expect("history").len(), 1);
    let lists = model::Codelists::embedded();
    assert!(s.providers(lists).expect("providers").iter().all(|q| q.name != "Hijacked"));
}

#[tokio::test]
async fn codelists_show_codes_with_their_portuguese_labels() {
    let hub = hub();
    for user in ["prov-a", "analyst"] {
        let mut c = logged_in(&hub, user).await;
        let r = c.get("/codelists?lang=pt").await;
        assert_ok(&r);
        let text = r.text();
        assert!(text.contains("Listas de códigos"), "{user}");
        assert!(text.contains("href=\"/codelists/sex\""), "{user}");
        assert!(text.contains("href=\"/codelists\""), "{user}: in the navigation");
        assert!(text.contains("dados versionados do projeto"), "{user}: no editor, said so");
        let r = c.get("/codelists/sex?lang=pt").await;
        assert_ok(&r);
        let text = r.text();
        assert!(text.contains("<code>M</code>"), "{user}");
        assert!(text.contains("<span lang=\"pt\">Masculino</span>"), "{user}");
        assert!(text.contains("<span lang=\"en\">Males</span>"), "{user}");
        assert!(text.contains("Designação (Português)"), "{user}");
        assert_eq!(c.get("/codelists/no-such-list").await.status, StatusCode::NOT_FOUND);
    }
    let mut eu = logged_in(&hub, "eu").await;
    assert_eq!(eu.get("/codelists").await.status, StatusCode::FORBIDDEN);
    assert_eq!(eu.get("/api/codelists").await.status, StatusCode::FORBIDDEN);
    let mut anon = Client::new(state(&hub));
    assert_eq!(anon.get("/codelists/sex").await.location().as_deref(), Some("/login"));
    assert_eq!(anon.get("/api/codelists").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admins_edit_providers_audited_and_analysts_may_not() {
    let hub = hub();
    let p = hub.providers[0].clone();
    let path = format!("/providers/{p}");
    let mut admin = logged_in(&hub, "admin").await;
    let list = admin.get("/providers").await.text();
    assert!(list.contains(&format!("href=\"{path}\"")), "an edit link per provider");
    let form = admin.get(&path).await;
    assert_ok(&form);
    let csrf = admin.csrf(&path).await;
    let lists = model::Codelists::embedded();
    let before = {
        let mut s = store::Store::open(&hub.database).expect("store");
        s.providers(lists).expect("providers").into_iter().find(|q| q.id.as_str() == p).expect("registered")
    };
    let from = before.valid_from.format("%Y-%m-%d").to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("name", "Renamed service"),
        ("provider_type", "NGO"),
        ("country", before.country.as_str()),
        ("nuts", ""),
        ("valid_from", &from),
        ("valid_to", "2030-12-31"),
        ("submits", "VICTIM"),
    ];
    let r = admin.post_form(&path, &fields).await;
    assert_ok(&r);
    assert!(r.text().contains("Data provider saved."));
    let after = {
        let mut s = store::Store::open(&hub.database).expect("store");
        s.providers(lists).expect("providers").into_iter().find(|q| q.id.as_str() == p).expect("registered")
    };
    assert_eq!(after.name, "Renamed service");
    assert_eq!(after.provider_type, model::codes::ProviderType::Ngo);
    assert_eq!(after.valid_to, chrono::NaiveDate::from_ymd_opt(2030, 12, 31));
    assert!(!after.can_formally_identify);
    // An invalid edit is refused and changes nothing.
    fields[5] = ("valid_from", "2031-01-01");
    let r = admin.post_form(&path, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut s = store::Store::open(&hub.database).expect("store");
    let log = s.audit_log().expect("audit");
    let object = format!("provider:{p}");
    let ok = log.iter().find(|e| e.action == "provider.update" && e.object == object && e.outcome == "ok");
    let detail = &ok.expect("audited").detail;
    assert!(detail.starts_with("changed=name,type") && detail.contains("valid_to"), "{detail}");
    assert!(!detail.contains("Renamed"), "names of attributes, not values");
    assert!(log.iter().any(|e| e.action == "provider.update" && e.outcome == "failed"));
    assert_eq!(s.providers(lists).expect("providers").iter().find(|q| q.id.as_str() == p), Some(&after));
    // Analysts and provider users may not edit.
    for user in ["analyst", "prov-a"] {
        let mut c = logged_in(&hub, user).await;
        assert_eq!(c.get(&path).await.status, StatusCode::FORBIDDEN, "{user}");
        let csrf = c.csrf("/releases").await;
        let r = c.post_form(&path, &[("csrf", &csrf), ("name", "Nope")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    let mut analyst = logged_in(&hub, "analyst").await;
    assert!(!analyst.get("/providers").await.text().contains(&format!("href=\"{path}\"")), "no edit link");
}

#[tokio::test]
async fn the_api_serves_profiles_and_codelists_and_documents_them() {
    let hub = hub();
    let mut a = logged_in(&hub, "analyst").await;
    let csrf = api_csrf(&mut a).await;
    let r = a.post_json("/api/profiles/api-p", &csrf, &serde_json::json!({"toml": PROFILE})).await;
    assert_ok(&r);
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
    assert_eq!((body["version"].as_u64(), body["stored"].as_bool()), (Some(1), Some(true)));
    let v2 = PROFILE.replace("version = \"1\"", "version = \"2\"");
    let r = a.post_json("/api/profiles/api-p", &csrf, &serde_json::json!({"toml": v2})).await;
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
    assert_eq!(body["version"], 2);
    let one: serde_json::Value =
        serde_json::from_slice(&a.get("/api/profiles/api-p?version=1").await.body).expect("json");
    assert_eq!(one["toml"], PROFILE);
    assert_eq!(one["latest"], 2);
    assert_eq!(one["history"].as_array().map(Vec::len), Some(2));
    assert_eq!(one["provider"], serde_json::Value::Null, "shared");
    assert_eq!(a.get("/api/profiles/none").await.status, StatusCode::NOT_FOUND);
    let list: serde_json::Value = serde_json::from_slice(&a.get("/api/profiles").await.body).expect("json");
    assert_eq!(list[0]["name"], "api-p");
    let lists: serde_json::Value = serde_json::from_slice(&a.get("/api/codelists").await.body).expect("json");
    assert!(lists["lists"].as_array().expect("lists").iter().any(|l| l["id"] == "sex"));
    let sex: serde_json::Value =
        serde_json::from_slice(&a.get("/api/codelists/sex").await.body).expect("json");
    assert!(
        sex["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .any(|c| c["code"] == "M" && c["label_pt"] == "Masculino")
    );
    assert_eq!(a.get("/api/codelists/nothing").await.status, StatusCode::NOT_FOUND);
    let doc: serde_json::Value =
        serde_json::from_slice(&a.get("/api/openapi.json").await.body).expect("json");
    for (path, method) in [
        ("/api/profiles", "get"),
        ("/api/profiles/{name}", "get"),
        ("/api/profiles/{name}", "post"),
        ("/api/codelists", "get"),
        ("/api/codelists/{id}", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let post = &doc["paths"]["/api/profiles/{name}"]["post"];
    assert_eq!(
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ProfileSave"
    );
    assert!(doc["components"]["schemas"]["ProfileSave"]["properties"]["toml"].is_object());
    // The stored profile is offered by the upload form and used by an upload.
    let form = a.get("/submissions/upload").await.text();
    assert!(form.contains("<option value=\"api-p\">"));
}
